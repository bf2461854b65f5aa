using System.Text.Json;

namespace NewsBot.TestSupport.Discord;

/// <summary>
/// Discord's documented message limits, checked the way Discord checks them (whitespace trimmed before counting,
/// the 6000-character total across all embeds), plus our own rule that every message turns pings off.
/// </summary>
public static class DiscordMessageLimits
{
    /// <summary>The violations of a message body (create, edit, webhook, or an interaction callback's data).</summary>
    public static List<string> CheckMessage(JsonElement body, bool requireAllowedMentions = true)
    {
        var errors = new List<string>();
        if (body.ValueKind != JsonValueKind.Object)
            return ["message body is not an object"];

        if (Text(body, "content") is { } content && content.Trim().Length > 2000)
            errors.Add($"content is {content.Trim().Length} characters (max 2000)");

        if (requireAllowedMentions)
        {
            if (!body.TryGetProperty("allowed_mentions", out var mentions) || mentions.ValueKind != JsonValueKind.Object
                || !mentions.TryGetProperty("parse", out var parse) || parse.ValueKind != JsonValueKind.Array || parse.GetArrayLength() != 0)
            {
                errors.Add("allowed_mentions.parse must be [] on every message the bot sends");
            }
        }

        if (body.TryGetProperty("embeds", out var embeds) && embeds.ValueKind == JsonValueKind.Array)
        {
            if (embeds.GetArrayLength() > 10)
                errors.Add($"{embeds.GetArrayLength()} embeds (max 10)");
            var total = 0;
            var index = 0;
            foreach (var embed in embeds.EnumerateArray())
            {
                total += CheckEmbed(embed, $"embeds[{index}]", errors);
                index++;
            }
            if (total > 6000)
                errors.Add($"embeds total {total} characters (max 6000)");
        }

        if (body.TryGetProperty("components", out var rows) && rows.ValueKind == JsonValueKind.Array)
            CheckComponents(rows, errors);
        return errors;
    }

    /// <summary>Violations of an autocomplete result's <c>data</c>.</summary>
    public static List<string> CheckChoices(JsonElement data)
    {
        var errors = new List<string>();
        if (!data.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            return ["autocomplete result without choices"];
        if (choices.GetArrayLength() > 25)
            errors.Add($"{choices.GetArrayLength()} choices (max 25)");
        foreach (var choice in choices.EnumerateArray())
        {
            var name = Text(choice, "name") ?? "";
            if (name.Length is < 1 or > 100)
                errors.Add($"choice name of {name.Length} characters (1–100)");
            if (choice.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 100)
                errors.Add("choice value over 100 characters");
        }
        return errors;
    }

    private static int CheckEmbed(JsonElement embed, string where, List<string> errors)
    {
        var total = 0;
        total += Limit(Text(embed, "title"), 256, where + ".title", errors);
        total += Limit(Text(embed, "description"), 4096, where + ".description", errors);
        if (embed.TryGetProperty("footer", out var footer) && footer.ValueKind == JsonValueKind.Object)
            total += Limit(Text(footer, "text"), 2048, where + ".footer.text", errors);
        if (embed.TryGetProperty("author", out var author) && author.ValueKind == JsonValueKind.Object)
            total += Limit(Text(author, "name"), 256, where + ".author.name", errors);
        if (embed.TryGetProperty("fields", out var fields) && fields.ValueKind == JsonValueKind.Array)
        {
            if (fields.GetArrayLength() > 25)
                errors.Add($"{where}.fields has {fields.GetArrayLength()} fields (max 25)");
            var i = 0;
            foreach (var field in fields.EnumerateArray())
            {
                var name = Text(field, "name");
                var value = Text(field, "value");
                if (string.IsNullOrWhiteSpace(name) || string.IsNullOrWhiteSpace(value))
                    errors.Add($"{where}.fields[{i}] needs a name and a value");
                total += Limit(name, 256, $"{where}.fields[{i}].name", errors);
                total += Limit(value, 1024, $"{where}.fields[{i}].value", errors);
                i++;
            }
        }
        return total;
    }

    private static void CheckComponents(JsonElement rows, List<string> errors)
    {
        if (rows.GetArrayLength() > 5)
            errors.Add($"{rows.GetArrayLength()} action rows (max 5)");
        var customIds = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.EnumerateArray())
        {
            if (!row.TryGetProperty("type", out var type) || type.GetInt32() != 1)
            {
                errors.Add("a top-level component is not an action row");
                continue;
            }
            if (!row.TryGetProperty("components", out var buttons) || buttons.GetArrayLength() is < 1 or > 5)
            {
                errors.Add("an action row needs 1–5 components");
                continue;
            }
            foreach (var button in buttons.EnumerateArray())
            {
                var style = button.TryGetProperty("style", out var s) ? s.GetInt32() : 0;
                var label = Text(button, "label");
                var customId = Text(button, "custom_id");
                var url = Text(button, "url");
                if (label is { Length: > 80 })
                    errors.Add($"button label of {label.Length} characters (max 80)");
                if (style == 5)
                {
                    if (string.IsNullOrEmpty(url) || customId is not null)
                        errors.Add("a link button needs a url and no custom_id");
                    if (url is { Length: > 512 })
                        errors.Add("button url over 512 characters");
                }
                else if (customId is not { Length: >= 1 and <= 100 } || url is not null)
                {
                    errors.Add($"a button needs a custom_id of 1–100 characters and no url (got {customId?.Length ?? 0})");
                }
                if (customId is not null && !customIds.Add(customId))
                    errors.Add("custom_id used twice in one message");
            }
        }
    }

    private static int Limit(string? text, int max, string where, List<string> errors)
    {
        var length = text?.Trim().Length ?? 0;
        if (length > max)
            errors.Add($"{where} is {length} characters (max {max})");
        return length;
    }

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
