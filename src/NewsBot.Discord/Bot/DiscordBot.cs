using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Protocol.Gateway;
using NewsBot.Discord.Protocol.Rest;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>
/// The bot: finds the gateway, keeps the connection, registers the commands once READY names the application, and
/// hands each event to its handler off the receive loop. Events seen twice (a resume can replay them) are handled once.
/// </summary>
internal sealed partial class DiscordBot
{
    private const int RememberedEvents = 2000;
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(5);

    private readonly DiscordOptions _options;
    private readonly DiscordRestClient _rest;
    private readonly GatewayClient _gateway;
    private readonly InteractionHandler _interactions;
    private readonly MessageHandler _messages;
    private readonly BotIdentity _identity;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _seenOrder = new();
    private int _commandsRegistered;

    public DiscordBot(
        IOptions<DiscordOptions> options,
        DiscordRestClient rest,
        GatewayClient gateway,
        InteractionHandler interactions,
        MessageHandler messages,
        BotIdentity identity,
        TimeProvider time,
        ILogger<DiscordBot> logger)
    {
        _options = options.Value;
        _rest = rest;
        _gateway = gateway;
        _interactions = interactions;
        _messages = messages;
        _identity = identity;
        _time = time;
        _logger = logger;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var gatewayUrl = await GatewayUrlAsync(cancellationToken);
        var work = new BackgroundWork();
        try
        {
            await _gateway.RunAsync(gatewayUrl, (dispatch, token) => OnDispatchAsync(dispatch, work, token), cancellationToken);
        }
        finally
        {
            await work.DrainAsync(DrainLimit, _time);
        }
    }

    private async Task<Uri> GatewayUrlAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(_options.GatewayUrl))
            return new Uri(_options.GatewayUrl.Trim());
        try
        {
            var gateway = await _rest.GetGatewayBotAsync(cancellationToken);
            return new Uri(gateway.Url);
        }
        catch (DiscordRestException ex) when (ex.Status == HttpStatusCode.Unauthorized)
        {
            throw new DiscordFatalException("Discord rejected the bot token (HTTP 401 from GET /gateway/bot): check Discord:Token; copy a fresh token from the Bot page of the Developer Portal.", ex);
        }
    }

    private ValueTask OnDispatchAsync(GatewayDispatch dispatch, BackgroundWork work, CancellationToken cancellationToken)
    {
        switch (dispatch.Type)
        {
            case "READY":
                var ready = dispatch.Data.Deserialize(DiscordJsonContext.Default.ReadyData);
                _identity.Set(ready?.User?.Id, string.IsNullOrWhiteSpace(_options.ApplicationId) ? ready?.Application?.Id : _options.ApplicationId.Trim());
                if (Interlocked.Exchange(ref _commandsRegistered, 1) == 0)
                    work.Run(() => RegisterCommandsAsync(cancellationToken));
                break;
            case "INTERACTION_CREATE":
                var interaction = dispatch.Data.Deserialize(DiscordJsonContext.Default.Interaction);
                if (interaction is not null && FirstTime("i" + interaction.Id))
                    work.Run(() => _interactions.HandleAsync(interaction, cancellationToken));
                break;
            case "MESSAGE_CREATE":
                var message = dispatch.Data.Deserialize(DiscordJsonContext.Default.DiscordMessage);
                if (message is not null && _messages.IsForBot(message) && FirstTime("m" + message.Id))
                    work.Run(() => _messages.HandleAsync(message, cancellationToken));
                break;
            default:
                break;
        }
        return ValueTask.CompletedTask;
    }

    private async Task RegisterCommandsAsync(CancellationToken cancellationToken)
    {
        if (_identity.ApplicationId is not { } applicationId)
        {
            LogNoApplicationId(_logger);
            return;
        }
        var guildId = string.IsNullOrWhiteSpace(_options.GuildId) ? null : _options.GuildId.Trim();
        try
        {
            await _rest.BulkOverwriteCommandsAsync(applicationId, guildId, CommandDefinitions.All(_options.MaxQuestionLength), cancellationToken);
            LogCommandsRegistered(_logger, guildId is null ? "globally" : "in server " + guildId);
        }
        catch (Exception ex) when (ex is DiscordRestException or HttpRequestException)
        {
            LogCommandsFailed(_logger, ex.Message);
        }
    }

    private bool FirstTime(string id)
    {
        if (!_seen.TryAdd(id, 0))
            return false;
        _seenOrder.Enqueue(id);
        while (_seenOrder.Count > RememberedEvents && _seenOrder.TryDequeue(out var old))
            _seen.TryRemove(old, out _);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered the slash commands {Scope}")]
    private static partial void LogCommandsRegistered(ILogger logger, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering the slash commands failed: {Reason}")]
    private static partial void LogCommandsFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "READY named no application id and Discord:ApplicationId is unset; slash commands were not registered")]
    private static partial void LogNoApplicationId(ILogger logger);
}
