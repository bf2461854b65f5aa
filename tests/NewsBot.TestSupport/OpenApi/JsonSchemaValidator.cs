using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace NewsBot.TestSupport.OpenApi;

/// <summary>
/// Validates JSON against the subset of JSON Schema that OpenAPI 3.0 and 3.1 documents use. Written here because
/// JsonSchema.Net cannot be restored from our registry. Semantics worth knowing:
/// <list type="bullet">
/// <item>A schema whose only assertion is <c>nullable: true</c> accepts only <c>null</c>. Qdrant's spec (written by
/// schemars) spells "X or null" as <c>anyOf: [X, {nullable: true}]</c>; read literally, that second branch would accept
/// anything and the whole check would be toothless.</item>
/// <item><c>oneOf</c> is exact: one alternative, not more.</item>
/// <item><c>$ref</c> siblings are applied too (3.1 semantics); in 3.0 documents they are annotations anyway.</item>
/// <item>Integer formats (<c>int32</c>, <c>int64</c>, <c>uint</c>, <c>uint8</c>, <c>uint32</c>, <c>uint64</c>) check
/// ranges, <c>uuid</c> and <c>date-time</c> check syntax; other formats are annotations.</item>
/// </list>
/// </summary>
internal sealed class JsonSchemaValidator
{
    private const int MaxDepth = 256;
    private const int MaxAlternativeDetails = 3;
    private const string ClosestMarker = "; closest: ";

    private static readonly HashSet<string> AnnotationKeywords = new(StringComparer.Ordinal)
    {
        "description", "title", "default", "example", "examples", "deprecated", "readOnly", "writeOnly",
        "externalDocs", "xml", "discriminator", "contentEncoding", "contentMediaType", "$comment", "$id", "$schema",
    };

    private static readonly Regex DateTimePattern = new(
        @"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$", RegexOptions.CultureInvariant);

    private readonly JsonElement _document;
    private readonly bool _exclusiveBoundsAreBooleans;
    private readonly ConcurrentDictionary<string, JsonElement> _refs = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Regex> _patterns = new(StringComparer.Ordinal);

    /// <param name="document">The whole OpenAPI (or JSON Schema) document that <c>$ref</c>s point into.</param>
    /// <param name="openApi30">True for OpenAPI 3.0, where <c>exclusiveMinimum</c>/<c>exclusiveMaximum</c> are booleans.</param>
    public JsonSchemaValidator(JsonElement document, bool openApi30)
    {
        _document = document;
        _exclusiveBoundsAreBooleans = openApi30;
    }

    /// <summary>Every violation of <paramref name="schema"/> by <paramref name="instance"/>, as "path: message" lines.</summary>
    public List<string> Validate(JsonElement schema, JsonElement instance)
    {
        var errors = new List<string>();
        Validate(schema, instance, "", errors, 0);
        return errors;
    }

    public JsonElement Resolve(string reference)
    {
        if (_refs.TryGetValue(reference, out var cached))
            return cached;
        if (!reference.StartsWith('#'))
            throw new NotSupportedException($"Only local $ref values (#/...) are supported, not '{reference}'.");
        var current = _document;
        foreach (var rawToken in reference[1..].Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var token = Uri.UnescapeDataString(rawToken).Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(token, out var next))
                current = next;
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < current.GetArrayLength())
                current = current[index];
            else
                throw new InvalidOperationException($"$ref '{reference}' does not resolve in the document.");
        }
        _refs[reference] = current;
        return current;
    }

    private void Validate(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add($"{Show(path)}: schema nesting deeper than {MaxDepth} ($ref cycle?)");
            return;
        }
        if (schema.ValueKind == JsonValueKind.True)
            return;
        if (schema.ValueKind == JsonValueKind.False)
        {
            errors.Add($"{Show(path)}: no value is allowed here");
            return;
        }
        if (schema.ValueKind != JsonValueKind.Object)
            return;

        if (schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
        {
            var target = Resolve(reference.GetString()!);
            var before = errors.Count;
            Validate(target, instance, path, errors, depth + 1);
            // Name the innermost schema that failed, so "expected integer" says which definition wanted it.
            if (errors.Count - before == 1 && !errors[before].EndsWith(')'))
                errors[before] += $" ({RefName(reference.GetString()!)})";
        }

        var nullable = schema.TryGetProperty("nullable", out var n) && n.ValueKind == JsonValueKind.True;
        if (instance.ValueKind == JsonValueKind.Null && nullable)
            return;
        if (nullable && IsOnlyNullable(schema))
        {
            errors.Add($"{Show(path)}: expected null, got {Kind(instance)}");
            return;
        }

        if (schema.TryGetProperty("type", out var type) && !MatchesType(type, instance))
        {
            errors.Add($"{Show(path)}: expected {DescribeType(type)}, got {Kind(instance)}");
            return;
        }

        if (schema.TryGetProperty("enum", out var enumValues) && enumValues.ValueKind == JsonValueKind.Array
            && !enumValues.EnumerateArray().Any(v => JsonElement.DeepEquals(v, instance)))
        {
            errors.Add($"{Show(path)}: {Brief(instance)} is not one of {Brief(enumValues)}");
        }
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, instance))
            errors.Add($"{Show(path)}: expected {Brief(constant)}, got {Brief(instance)}");

        switch (instance.ValueKind)
        {
            case JsonValueKind.Object:
                ValidateObject(schema, instance, path, errors, depth);
                break;
            case JsonValueKind.Array:
                ValidateArray(schema, instance, path, errors, depth);
                break;
            case JsonValueKind.String:
                ValidateString(schema, instance.GetString()!, path, errors);
                break;
            case JsonValueKind.Number:
                ValidateNumber(schema, instance, path, errors);
                break;
        }

        if (schema.TryGetProperty("allOf", out var allOf) && allOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in allOf.EnumerateArray())
                Validate(part, instance, path, errors, depth + 1);
        }
        if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
            ValidateAlternatives(anyOf, instance, path, errors, depth, exactlyOne: false);
        if (schema.TryGetProperty("oneOf", out var oneOf) && oneOf.ValueKind == JsonValueKind.Array)
            ValidateAlternatives(oneOf, instance, path, errors, depth, exactlyOne: true);
        if (schema.TryGetProperty("not", out var not))
        {
            var inner = new List<string>();
            Validate(not, instance, path, inner, depth + 1);
            if (inner.Count == 0)
                errors.Add($"{Show(path)}: must not match the schema under 'not'");
        }
    }

    private void ValidateAlternatives(JsonElement alternatives, JsonElement instance, string path, List<string> errors, int depth, bool exactlyOne)
    {
        var keyword = exactlyOne ? "oneOf" : "anyOf";
        var matched = 0;
        List<string>? best = null;
        var bestTypeMatched = false;
        var bestReach = -1;
        foreach (var alternative in alternatives.EnumerateArray())
        {
            var attempt = new List<string>();
            Validate(alternative, instance, path, attempt, depth + 1);
            if (attempt.Count == 0)
            {
                matched++;
                if (!exactlyOne)
                    return;
                continue;
            }
            // The closest alternative is the one the instance got furthest into: its type fits, its errors are
            // deepest, and there are fewest of them.
            var typeMatched = !attempt.Any(e => e.StartsWith(Show(path) + ": expected", StringComparison.Ordinal));
            var reach = attempt.Max(Depth);
            if (best is null
                || (typeMatched && !bestTypeMatched)
                || (typeMatched == bestTypeMatched && (reach > bestReach || (reach == bestReach && attempt.Count < best.Count))))
            {
                best = attempt;
                bestTypeMatched = typeMatched;
                bestReach = reach;
            }
        }
        if (matched == 1 || (!exactlyOne && matched > 0))
            return;
        if (matched > 1)
        {
            errors.Add($"{Show(path)}: matches {matched} alternatives of oneOf, must match exactly one");
            return;
        }
        // Nested alternatives would repeat the summary at every level; keep only the innermost reasons.
        var reasons = (best ?? []).Take(MaxAlternativeDetails).Select(e =>
        {
            var at = e.LastIndexOf(ClosestMarker, StringComparison.Ordinal);
            return at < 0 ? e : e[(at + ClosestMarker.Length)..];
        });
        var detail = best is null ? "" : ClosestMarker + string.Join("; ", reasons);
        errors.Add($"{Show(path)}: matches none of the {alternatives.GetArrayLength()} alternatives of {keyword}{detail}");
    }

    private void ValidateObject(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in required.EnumerateArray())
            {
                if (name.ValueKind == JsonValueKind.String && !instance.TryGetProperty(name.GetString()!, out _))
                    errors.Add($"{Show(path)}: required property '{name.GetString()}' is missing");
            }
        }

        var count = 0;
        var hasProperties = schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object;
        var hasPatterns = schema.TryGetProperty("patternProperties", out var patterns) && patterns.ValueKind == JsonValueKind.Object;
        var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional);
        foreach (var property in instance.EnumerateObject())
        {
            count++;
            var childPath = path + "/" + property.Name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
            var known = false;
            if (hasProperties && properties.TryGetProperty(property.Name, out var propertySchema))
            {
                known = true;
                Validate(propertySchema, property.Value, childPath, errors, depth + 1);
            }
            if (hasPatterns)
            {
                foreach (var pattern in patterns.EnumerateObject())
                {
                    if (Pattern(pattern.Name).IsMatch(property.Name))
                    {
                        known = true;
                        Validate(pattern.Value, property.Value, childPath, errors, depth + 1);
                    }
                }
            }
            if (!known && hasAdditional)
            {
                if (additional.ValueKind == JsonValueKind.False)
                    errors.Add($"{Show(path)}: property '{property.Name}' is not allowed");
                else if (additional.ValueKind == JsonValueKind.Object)
                    Validate(additional, property.Value, childPath, errors, depth + 1);
            }
        }

        if (schema.TryGetProperty("minProperties", out var minProperties) && minProperties.TryGetInt32(out var min) && count < min)
            errors.Add($"{Show(path)}: has {count} properties, at least {min} required");
        if (schema.TryGetProperty("maxProperties", out var maxProperties) && maxProperties.TryGetInt32(out var max) && count > max)
            errors.Add($"{Show(path)}: has {count} properties, at most {max} allowed");
    }

    private void ValidateArray(JsonElement schema, JsonElement instance, string path, List<string> errors, int depth)
    {
        var length = instance.GetArrayLength();
        var prefixCount = 0;
        if (schema.TryGetProperty("prefixItems", out var prefixItems) && prefixItems.ValueKind == JsonValueKind.Array)
        {
            prefixCount = prefixItems.GetArrayLength();
            for (var i = 0; i < Math.Min(prefixCount, length); i++)
                Validate(prefixItems[i], instance[i], $"{path}/{i}", errors, depth + 1);
        }
        if (schema.TryGetProperty("items", out var items) && items.ValueKind is JsonValueKind.Object or JsonValueKind.True or JsonValueKind.False)
        {
            for (var i = prefixCount; i < length; i++)
                Validate(items, instance[i], $"{path}/{i}", errors, depth + 1);
        }
        if (schema.TryGetProperty("minItems", out var minItems) && minItems.TryGetInt32(out var min) && length < min)
            errors.Add($"{Show(path)}: has {length} items, at least {min} required");
        if (schema.TryGetProperty("maxItems", out var maxItems) && maxItems.TryGetInt32(out var max) && length > max)
            errors.Add($"{Show(path)}: has {length} items, at most {max} allowed");
        if (schema.TryGetProperty("uniqueItems", out var unique) && unique.ValueKind == JsonValueKind.True)
        {
            for (var i = 0; i < length; i++)
            {
                for (var j = i + 1; j < length; j++)
                {
                    if (JsonElement.DeepEquals(instance[i], instance[j]))
                    {
                        errors.Add($"{Show(path)}: items {i} and {j} are equal, items must be unique");
                        return;
                    }
                }
            }
        }
    }

    private void ValidateString(JsonElement schema, string value, string path, List<string> errors)
    {
        var codePoints = -1;
        if (schema.TryGetProperty("minLength", out var minLength) && minLength.TryGetInt32(out var min))
        {
            codePoints = CountCodePoints(value);
            if (codePoints < min)
                errors.Add($"{Show(path)}: is {codePoints} characters long, at least {min} required");
        }
        if (schema.TryGetProperty("maxLength", out var maxLength) && maxLength.TryGetInt32(out var max))
        {
            codePoints = codePoints >= 0 ? codePoints : CountCodePoints(value);
            if (codePoints > max)
                errors.Add($"{Show(path)}: is {codePoints} characters long, at most {max} allowed");
        }
        if (schema.TryGetProperty("pattern", out var pattern) && pattern.ValueKind == JsonValueKind.String
            && !Pattern(pattern.GetString()!).IsMatch(value))
        {
            errors.Add($"{Show(path)}: {Quote(value)} does not match the pattern {pattern.GetString()}");
        }
        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
        {
            switch (format.GetString())
            {
                case "uuid" when !IsUuid(value):
                    errors.Add($"{Show(path)}: {Quote(value)} is not a UUID");
                    break;
                case "date-time" when !IsDateTime(value):
                    errors.Add($"{Show(path)}: {Quote(value)} is not an RFC 3339 date-time");
                    break;
            }
        }
    }

    private void ValidateNumber(JsonElement schema, JsonElement instance, string path, List<string> errors)
    {
        var value = ReadNumber(instance);
        if (schema.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String
            && IntegerRange(format.GetString()) is { } range)
        {
            if (!IsInteger(instance))
                errors.Add($"{Show(path)}: {instance.GetRawText()} is not an integer ({format.GetString()})");
            else if (value < range.Min || value > range.Max)
                errors.Add($"{Show(path)}: {instance.GetRawText()} is out of range for {format.GetString()}");
        }

        var exclusiveMinimum = false;
        var exclusiveMaximum = false;
        if (schema.TryGetProperty("exclusiveMinimum", out var exMin))
        {
            if (exMin.ValueKind == JsonValueKind.Number)
            {
                if (value <= ReadNumber(exMin))
                    errors.Add($"{Show(path)}: {instance.GetRawText()} must be greater than {exMin.GetRawText()}");
            }
            else
            {
                exclusiveMinimum = _exclusiveBoundsAreBooleans && exMin.ValueKind == JsonValueKind.True;
            }
        }
        if (schema.TryGetProperty("exclusiveMaximum", out var exMax))
        {
            if (exMax.ValueKind == JsonValueKind.Number)
            {
                if (value >= ReadNumber(exMax))
                    errors.Add($"{Show(path)}: {instance.GetRawText()} must be less than {exMax.GetRawText()}");
            }
            else
            {
                exclusiveMaximum = _exclusiveBoundsAreBooleans && exMax.ValueKind == JsonValueKind.True;
            }
        }
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.ValueKind == JsonValueKind.Number)
        {
            var bound = ReadNumber(minimum);
            if (exclusiveMinimum ? value <= bound : value < bound)
                errors.Add($"{Show(path)}: {instance.GetRawText()} is less than the minimum {minimum.GetRawText()}{(exclusiveMinimum ? " (exclusive)" : "")}");
        }
        if (schema.TryGetProperty("maximum", out var maximum) && maximum.ValueKind == JsonValueKind.Number)
        {
            var bound = ReadNumber(maximum);
            if (exclusiveMaximum ? value >= bound : value > bound)
                errors.Add($"{Show(path)}: {instance.GetRawText()} is greater than the maximum {maximum.GetRawText()}{(exclusiveMaximum ? " (exclusive)" : "")}");
        }
        if (schema.TryGetProperty("multipleOf", out var multipleOf) && multipleOf.ValueKind == JsonValueKind.Number)
        {
            var divisor = ReadNumber(multipleOf);
            if (divisor != 0 && value % divisor != 0)
                errors.Add($"{Show(path)}: {instance.GetRawText()} is not a multiple of {multipleOf.GetRawText()}");
        }
    }

    private static (decimal Min, decimal Max)? IntegerRange(string? format) => format switch
    {
        "int8" => (sbyte.MinValue, sbyte.MaxValue),
        "int16" => (short.MinValue, short.MaxValue),
        "int32" => (int.MinValue, int.MaxValue),
        "int64" => (long.MinValue, long.MaxValue),
        "uint8" => (byte.MinValue, byte.MaxValue),
        "uint16" => (ushort.MinValue, ushort.MaxValue),
        "uint32" => (uint.MinValue, uint.MaxValue),
        "uint64" or "uint" or "usize" => (ulong.MinValue, ulong.MaxValue),
        _ => null,
    };

    private static bool MatchesType(JsonElement type, JsonElement instance)
    {
        if (type.ValueKind == JsonValueKind.String)
            return MatchesType(type.GetString()!, instance);
        if (type.ValueKind == JsonValueKind.Array)
            return type.EnumerateArray().Any(t => t.ValueKind == JsonValueKind.String && MatchesType(t.GetString()!, instance));
        return true;
    }

    private static bool MatchesType(string type, JsonElement instance) => type switch
    {
        "object" => instance.ValueKind == JsonValueKind.Object,
        "array" => instance.ValueKind == JsonValueKind.Array,
        "string" => instance.ValueKind == JsonValueKind.String,
        "boolean" => instance.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => instance.ValueKind == JsonValueKind.Null,
        "number" => instance.ValueKind == JsonValueKind.Number,
        "integer" => instance.ValueKind == JsonValueKind.Number && IsInteger(instance),
        _ => true,
    };

    private static bool IsInteger(JsonElement number)
    {
        if (number.TryGetInt64(out _) || number.TryGetUInt64(out _))
            return true;
        if (number.TryGetDecimal(out var d))
            return d == decimal.Truncate(d);
        return number.TryGetDouble(out var x) && double.IsFinite(x) && x == Math.Floor(x);
    }

    private static decimal ReadNumber(JsonElement number)
    {
        if (number.TryGetDecimal(out var d))
            return d;
        var x = number.GetDouble();
        return x > 0 ? decimal.MaxValue : decimal.MinValue;
    }

    /// <summary>Whether nothing but <c>nullable</c> and annotations is in the schema (schemars' "or null" branch).</summary>
    private static bool IsOnlyNullable(JsonElement schema)
    {
        foreach (var property in schema.EnumerateObject())
        {
            if (property.Name != "nullable" && !AnnotationKeywords.Contains(property.Name) && !property.Name.StartsWith("x-", StringComparison.Ordinal))
                return false;
        }
        return true;
    }

    private static bool IsUuid(string value)
    {
        var text = value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? value[9..] : value;
        return Guid.TryParseExact(text, "D", out _) || Guid.TryParseExact(text, "N", out _);
    }

    private static bool IsDateTime(string value) =>
        DateTimePattern.IsMatch(value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private Regex Pattern(string pattern) =>
        _patterns.GetOrAdd(pattern, static p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static int CountCodePoints(string value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateRunes())
            count++;
        return count;
    }

    private static string DescribeType(JsonElement type) => type.ValueKind == JsonValueKind.Array
        ? string.Join(" or ", type.EnumerateArray().Select(t => t.GetString()))
        : type.GetString() ?? "?";

    private static string Kind(JsonElement instance) => instance.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string " + Quote(instance.GetString()!),
        JsonValueKind.Number => "number " + instance.GetRawText(),
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => instance.ValueKind.ToString(),
    };

    private static string Brief(JsonElement value)
    {
        var text = value.GetRawText();
        return text.Length <= 80 ? text : text[..77] + "...";
    }

    private static string Quote(string value)
    {
        var text = value.Length <= 60 ? value : value[..57] + "...";
        return "\"" + text + "\"";
    }

    private static int Depth(string error)
    {
        var closest = error.LastIndexOf(ClosestMarker, StringComparison.Ordinal);
        if (closest >= 0)
            error = error[(closest + ClosestMarker.Length)..];
        var colon = error.IndexOf(": ", StringComparison.Ordinal);
        var path = colon < 0 ? error : error[..colon];
        return path.Count(c => c == '/');
    }

    private static string RefName(string reference) => reference[(reference.LastIndexOf('/') + 1)..];

    private static string Show(string path) => path.Length == 0 ? "(body)" : path;

    internal static string Describe(IEnumerable<string> errors)
    {
        var builder = new StringBuilder();
        foreach (var error in errors)
            builder.AppendLine("  " + error);
        return builder.ToString();
    }
}
