using System.Globalization;
using Grpc.Core;
using Qdrant.Client.Grpc;

namespace NewsBot.TestSupport.Qdrant;

/// <summary>Qdrant's filter semantics over the fake's points: must (all), should (at least one, or min_should), must_not (none).</summary>
internal static class FakeQdrantFilter
{
    public static bool Matches(Filter? filter, StoredPoint point)
    {
        if (filter is null)
            return true;
        if (filter.Must.Any(c => !Matches(c, point)))
            return false;
        if (filter.MustNot.Any(c => Matches(c, point)))
            return false;
        if (filter.Should.Count > 0 && !filter.Should.Any(c => Matches(c, point)))
            return false;
        if (filter.MinShould is { } minimum && minimum.Conditions.Count(c => Matches(c, point)) < (int)minimum.MinCount)
            return false;
        return true;
    }

    private static bool Matches(Condition condition, StoredPoint point) => condition.ConditionOneOfCase switch
    {
        Condition.ConditionOneOfOneofCase.Field => Matches(condition.Field, point),
        Condition.ConditionOneOfOneofCase.IsEmpty => Values(point, condition.IsEmpty.Key).Count == 0,
        Condition.ConditionOneOfOneofCase.IsNull => point.Payload.TryGetValue(condition.IsNull.Key, out var value) && value.KindCase == Value.KindOneofCase.NullValue,
        Condition.ConditionOneOfOneofCase.HasId => condition.HasId.HasId.Any(id => FakePointIds.Format(id) == point.Key),
        Condition.ConditionOneOfOneofCase.Filter => Matches(condition.Filter, point),
        _ => throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: unsupported condition {condition.ConditionOneOfCase}")),
    };

    private static bool Matches(FieldCondition field, StoredPoint point)
    {
        var values = Values(point, field.Key);
        if (field.Match is { } match)
        {
            return match.MatchValueCase switch
            {
                Match.MatchValueOneofCase.Keyword => values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && v.StringValue == match.Keyword),
                Match.MatchValueOneofCase.Keywords => values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.Keywords.Strings.Contains(v.StringValue)),
                Match.MatchValueOneofCase.ExceptKeywords => !values.Any(v => v.KindCase == Value.KindOneofCase.StringValue && match.ExceptKeywords.Strings.Contains(v.StringValue)),
                Match.MatchValueOneofCase.Integer => values.Any(v => v.KindCase == Value.KindOneofCase.IntegerValue && v.IntegerValue == match.Integer),
                Match.MatchValueOneofCase.Boolean => values.Any(v => v.KindCase == Value.KindOneofCase.BoolValue && v.BoolValue == match.Boolean),
                _ => throw new RpcException(new Status(StatusCode.InvalidArgument, "Wrong input: Malformed Match condition")),
            };
        }
        if (field.DatetimeRange is { } range)
        {
            return values.Any(v => v.KindCase == Value.KindOneofCase.StringValue
                && DateTimeOffset.TryParse(v.StringValue, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
                && (range.Gte is null || date >= range.Gte.ToDateTimeOffset())
                && (range.Gt is null || date > range.Gt.ToDateTimeOffset())
                && (range.Lte is null || date <= range.Lte.ToDateTimeOffset())
                && (range.Lt is null || date < range.Lt.ToDateTimeOffset()));
        }
        if (field.Range is { } numbers)
        {
            return values.Any(v => Number(v) is { } x
                && (!numbers.HasGte || x >= numbers.Gte) && (!numbers.HasGt || x > numbers.Gt)
                && (!numbers.HasLte || x <= numbers.Lte) && (!numbers.HasLt || x < numbers.Lt));
        }
        throw new RpcException(new Status(StatusCode.InvalidArgument, $"Wrong input: the condition on '{field.Key}' has no match or range"));
    }

    /// <summary>The values under a top-level key (an array gives each element); null and missing give none.</summary>
    public static List<Value> Values(StoredPoint point, string key)
    {
        if (!point.Payload.TryGetValue(key, out var value))
            return [];
        return value.KindCase switch
        {
            Value.KindOneofCase.NullValue => [],
            Value.KindOneofCase.ListValue => [.. value.ListValue.Values.Where(v => v.KindCase != Value.KindOneofCase.NullValue)],
            _ => [value],
        };
    }

    public static double? Number(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => value.IntegerValue,
        Value.KindOneofCase.DoubleValue => value.DoubleValue,
        _ => null,
    };
}
