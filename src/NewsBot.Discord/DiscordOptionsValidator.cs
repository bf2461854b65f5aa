using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace NewsBot.Discord;

/// <summary>Checks the Discord section at start, with messages that name the key to set and never echo the token.</summary>
internal sealed partial class DiscordOptionsValidator : IValidateOptions<DiscordOptions>
{
    private const string WhereToSet = "set it in appsettings.json, NEWSBOT__Discord__Token or user secrets";

    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Token))
            failures.Add($"Discord:Token is missing; {WhereToSet}.");
        else if (!TokenShape().IsMatch(BotToken.Normalize(options.Token)))
            failures.Add($"Discord:Token is malformed: a bot token is three base64url parts separated by dots (copy it from the Bot page of the Developer Portal); {WhereToSet}.");

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("https" or "http"))
            failures.Add("Discord:ApiBaseUrl must be an http(s) URL such as https://discord.com/api/v10.");
        if (!string.IsNullOrWhiteSpace(options.GatewayUrl)
            && (!Uri.TryCreate(options.GatewayUrl, UriKind.Absolute, out var gateway) || gateway.Scheme is not ("wss" or "ws")))
        {
            failures.Add("Discord:GatewayUrl must be a ws(s) URL such as wss://gateway.discord.gg, or unset to ask Discord for it.");
        }
        CheckSnowflake(options.ApplicationId, "Discord:ApplicationId", failures);
        CheckSnowflake(options.GuildId, "Discord:GuildId", failures);
        CheckSnowflake(options.CitationsChannelId, "Discord:CitationsChannelId", failures);
        if (options.UserCooldownSeconds is < 0 or > 3600)
            failures.Add("Discord:UserCooldownSeconds must be between 0 and 3600.");
        if (options.MaxConcurrentAnswersPerGuild is < 1 or > 100)
            failures.Add("Discord:MaxConcurrentAnswersPerGuild must be between 1 and 100.");
        if (options.QueueLength is < 0 or > 1000)
            failures.Add("Discord:QueueLength must be between 0 and 1000.");
        if (options.MaxQuestionLength is < 10 or > 6000)
            failures.Add("Discord:MaxQuestionLength must be between 10 and 6000 characters.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSnowflake(string? value, string key, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(value) && !Snowflake().IsMatch(value.Trim()))
            failures.Add($"{key} must be a Discord id (digits only; copy it with Developer Mode on), or unset.");
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex TokenShape();

    [GeneratedRegex(@"^\d{1,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex Snowflake();
}
