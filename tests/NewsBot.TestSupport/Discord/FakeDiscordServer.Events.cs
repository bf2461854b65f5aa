using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace NewsBot.TestSupport.Discord;

public sealed partial class FakeDiscordServer
{
    public const string DefaultGuildId = "1300000000000000001";
    public const string DefaultChannelId = "1300000000000000002";
    public const string DefaultUserId = "1300000000000000003";

    /// <summary>Dispatches INTERACTION_CREATE for a slash command; option values are strings or booleans.</summary>
    public Task<FakeInteraction> SlashCommandAsync(string name, IReadOnlyDictionary<string, object>? options = null, string channelId = DefaultChannelId, string? guildId = DefaultGuildId, string userId = DefaultUserId)
    {
        var data = new JsonObject
        {
            ["id"] = NextSnowflake(),
            ["name"] = name,
            ["type"] = 1,
            ["options"] = Options(options, focused: null),
        };
        return InteractionAsync(2, data, channelId, guildId, userId, message: null);
    }

    /// <summary>Dispatches an autocomplete interaction (type 4) while the user types <paramref name="partial"/> into <paramref name="focusedOption"/>.</summary>
    public Task<FakeInteraction> AutocompleteAsync(string command, string focusedOption, string partial, IReadOnlyDictionary<string, object>? otherOptions = null, string channelId = DefaultChannelId, string? guildId = DefaultGuildId, string userId = DefaultUserId)
    {
        var options = new Dictionary<string, object>(otherOptions ?? new Dictionary<string, object>()) { [focusedOption] = partial };
        var data = new JsonObject
        {
            ["id"] = NextSnowflake(),
            ["name"] = command,
            ["type"] = 1,
            ["options"] = Options(options, focused: focusedOption),
        };
        return InteractionAsync(4, data, channelId, guildId, userId, message: null);
    }

    /// <summary>Dispatches a button click (type 3) on a message the bot sent.</summary>
    public Task<FakeInteraction> ButtonClickAsync(string customId, string channelId = DefaultChannelId, string? guildId = DefaultGuildId, string userId = DefaultUserId)
    {
        var data = new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 };
        var message = new JsonObject
        {
            ["id"] = NextSnowflake(),
            ["channel_id"] = channelId,
            ["type"] = 0,
            ["content"] = "",
            ["author"] = User(BotUserId, BotUsername, bot: true),
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["embeds"] = new JsonArray(),
            ["components"] = new JsonArray(),
        };
        return InteractionAsync(3, data, channelId, guildId, userId, message);
    }

    /// <summary>
    /// Dispatches a modal submit (type 5) as Discord sends it for a modal of labels: each value under
    /// <c>components[].component</c> with the text input's custom id.
    /// </summary>
    public Task<FakeInteraction> ModalSubmitAsync(string customId, IReadOnlyDictionary<string, string> values, string channelId = DefaultChannelId, string? guildId = DefaultGuildId, string userId = DefaultUserId)
    {
        var components = new JsonArray();
        var next = 1;
        foreach (var (inputId, value) in values)
        {
            components.Add(new JsonObject
            {
                ["type"] = 18,
                ["id"] = next++,
                ["component"] = new JsonObject { ["type"] = 4, ["id"] = next++, ["custom_id"] = inputId, ["value"] = value },
            });
        }
        var data = new JsonObject { ["custom_id"] = customId, ["components"] = components };
        return InteractionAsync(5, data, channelId, guildId, userId, message: null);
    }

    /// <summary>The modal the bot opened in answer to the interaction (callback type 9), or null.</summary>
    public JsonElement? Modal(FakeInteraction interaction) =>
        _interactions.TryGetValue(interaction.Token, out var state) && state.Modal is { } modal
            ? JsonDocument.Parse(modal.ToJsonString()).RootElement.Clone()
            : null;

    /// <summary>
    /// Dispatches MESSAGE_CREATE and returns the message id. <paramref name="mentionBot"/> puts the bot in
    /// <c>mentions</c> (the caller writes <c>&lt;@id&gt;</c> into the content if it wants it there too).
    /// </summary>
    public async Task<string> MessageAsync(string content, string channelId = DefaultChannelId, string? guildId = DefaultGuildId, string authorId = DefaultUserId, bool authorIsBot = false, bool mentionBot = false)
    {
        var id = NextSnowflake();
        var mentions = new JsonArray();
        if (mentionBot)
            mentions.Add(User(BotUserId, BotUsername, bot: true));
        var message = new JsonObject
        {
            ["id"] = id,
            ["channel_id"] = channelId,
            ["author"] = User(authorId, authorIsBot ? "SomeOtherBot" : "reader", bot: authorIsBot),
            ["content"] = content,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["edited_timestamp"] = null,
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = mentions,
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = new JsonArray(),
            ["pinned"] = false,
            ["type"] = 0,
            ["flags"] = 0,
        };
        if (guildId is not null)
        {
            message["guild_id"] = guildId;
            message["member"] = new JsonObject { ["roles"] = new JsonArray(), ["joined_at"] = "2024-01-01T00:00:00+00:00", ["deaf"] = false, ["mute"] = false };
        }
        await DispatchAsync("MESSAGE_CREATE", message);
        return id;
    }

    /// <summary>The callback type the bot answered the interaction with, or null before it did.</summary>
    public int? CallbackType(FakeInteraction interaction) =>
        _interactions.TryGetValue(interaction.Token, out var state) ? state.CallbackType : null;

    /// <summary>How long after the event the first response arrived.</summary>
    public TimeSpan? CallbackDelay(FakeInteraction interaction) =>
        _interactions.TryGetValue(interaction.Token, out var state) && state.CallbackAt is { } at ? at - state.DispatchedAt : null;

    /// <summary>The interaction's response message as it stands now (after edits), or null.</summary>
    public JsonElement? Original(FakeInteraction interaction) =>
        _interactions.TryGetValue(interaction.Token, out var state) && state.Original is { } original
            ? JsonDocument.Parse(original.ToJsonString()).RootElement.Clone()
            : null;

    /// <summary>Messages the bot created with POST /channels/{id}/messages, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> ChannelMessages(string? channelId = null) =>
        Requests.Where(r => r.Method == "POST" && r.Status == 200 && r.Path.StartsWith("/channels/", StringComparison.Ordinal) && r.Path.EndsWith("/messages", StringComparison.Ordinal)
            && (channelId is null || r.Path == $"/channels/{channelId}/messages")).ToList();

    /// <summary>Waits for the bot's first response to the interaction and returns its body.</summary>
    public Task<RecordedRequest> WaitForCallbackAsync(FakeInteraction interaction, TimeSpan? timeout = null) =>
        WaitForRequestAsync(r => r.Method == "POST" && r.Path == interaction.CallbackPath && r.Status < 300, $"the callback of interaction {interaction.Id}", timeout);

    /// <summary>Waits until the interaction's original response satisfies <paramref name="match"/> (default: it has an embed).</summary>
    public async Task<JsonElement> WaitForOriginalAsync(FakeInteraction interaction, Func<JsonElement, bool>? match = null, TimeSpan? timeout = null)
    {
        match ??= m => m.TryGetProperty("embeds", out var e) && e.GetArrayLength() > 0 && !IsProgress(m);
        JsonElement? found = null;
        await WaitForAsync(() => Original(interaction) is { } original && match(original) && (found = original) is not null, $"the response to interaction {interaction.Id}", timeout);
        return found!.Value;
    }

    private static bool IsProgress(JsonElement message) =>
        message.GetProperty("embeds")[0].TryGetProperty("description", out var d) && d.GetString()!.EndsWith(" …", StringComparison.Ordinal);

    private async Task<FakeInteraction> InteractionAsync(int type, JsonObject data, string channelId, string? guildId, string userId, JsonObject? message)
    {
        var id = NextSnowflake();
        var token = "aW50ZXJhY3Rpb24" + Guid.NewGuid().ToString("N");
        var interaction = new JsonObject
        {
            ["id"] = id,
            ["application_id"] = ApplicationId,
            ["type"] = type,
            ["data"] = data,
            ["channel_id"] = channelId,
            ["channel"] = new JsonObject { ["id"] = channelId, ["type"] = guildId is null ? 1 : 0 },
            ["token"] = token,
            ["version"] = 1,
            ["app_permissions"] = "2248473465835073",
            ["locale"] = "en-US",
            ["entitlements"] = new JsonArray(),
            ["authorizing_integration_owners"] = new JsonObject { ["0"] = guildId ?? "0" },
            ["context"] = guildId is null ? 1 : 0,
            ["attachment_size_limit"] = 10485760,
        };
        var user = User(userId, "reader");
        if (guildId is not null)
        {
            interaction["guild_id"] = guildId;
            interaction["guild_locale"] = "en-US";
            interaction["member"] = new JsonObject { ["user"] = user, ["roles"] = new JsonArray(), ["permissions"] = "2248473465835073", ["joined_at"] = "2024-01-01T00:00:00+00:00" };
        }
        else
        {
            interaction["user"] = user;
        }
        if (message is not null)
            interaction["message"] = message;

        var now = DateTimeOffset.UtcNow;
        _interactions[token] = new InteractionState(id, token, channelId, now, NextSnowflake(), type);
        await DispatchAsync("INTERACTION_CREATE", interaction);
        return new FakeInteraction(id, token, channelId, guildId, userId, now);
    }

    private static JsonArray Options(IReadOnlyDictionary<string, object>? options, string? focused)
    {
        var array = new JsonArray();
        foreach (var (name, value) in options ?? new Dictionary<string, object>())
        {
            var option = new JsonObject
            {
                ["name"] = name,
                ["type"] = value is bool ? 5 : 3,
                ["value"] = value is bool b ? JsonValue.Create(b) : JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
            };
            if (name == focused)
                option["focused"] = true;
            array.Add(option);
        }
        return array;
    }
}
