using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>
/// Fits an embed into Discord's 6000-character total (title + description + field names and values + footer):
/// field values shrink evenly first, then fields are dropped from the end, then the description is cut.
/// </summary>
internal static class EmbedBudget
{
    private const int MinimumFieldValue = 60;

    public static Embed Fit(Embed embed, int total = DiscordLimits.EmbedTotal)
    {
        var title = DiscordLimits.Trim(embed.Title, DiscordLimits.EmbedTitle);
        var footer = embed.Footer is null ? null : new EmbedFooter(DiscordLimits.Trim(embed.Footer.Text, DiscordLimits.FooterText));
        var description = DiscordLimits.Trim(embed.Description, DiscordLimits.EmbedDescription);
        var fields = (embed.Fields ?? [])
            .Take(DiscordLimits.EmbedFields)
            .Select(f => new EmbedField(DiscordLimits.Trim(f.Name, DiscordLimits.FieldName), DiscordLimits.Trim(f.Value, DiscordLimits.FieldValue), f.Inline))
            .Where(f => f.Name.Length > 0 && f.Value.Length > 0)
            .ToList();

        var fixedLength = title.Length + (footer?.Text.Length ?? 0);
        if (fixedLength + description.Length > total)
            description = DiscordLimits.Trim(description, Math.Max(1, total - fixedLength));

        var budget = total - fixedLength - description.Length;
        if (Length(fields) > budget)
        {
            var names = fields.Sum(f => f.Name.Length);
            var cap = fields.Count == 0 ? 0 : Math.Max(MinimumFieldValue, (budget - names) / fields.Count);
            fields = fields.Select(f => f with { Value = DiscordLimits.Trim(f.Value, cap) }).ToList();
            while (fields.Count > 0 && Length(fields) > budget)
                fields.RemoveAt(fields.Count - 1);
        }

        return embed with
        {
            Title = title.Length == 0 ? null : title,
            Description = description.Length == 0 ? null : description,
            Fields = fields.Count == 0 ? null : fields,
            Footer = footer is { Text.Length: > 0 } ? footer : null,
        };
    }

    /// <summary>What Discord counts towards the 6000-character total.</summary>
    public static int Length(Embed embed) =>
        (embed.Title?.Length ?? 0) + (embed.Description?.Length ?? 0) + (embed.Footer?.Text.Length ?? 0) + Length(embed.Fields ?? []);

    private static int Length(IReadOnlyList<EmbedField> fields) => fields.Sum(f => f.Name.Length + f.Value.Length);
}
