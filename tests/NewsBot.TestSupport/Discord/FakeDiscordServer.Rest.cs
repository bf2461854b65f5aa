using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace NewsBot.TestSupport.Discord;

public sealed partial class FakeDiscordServer
{
    private static readonly TimeSpan InteractionDeadline = TimeSpan.FromSeconds(3);

    private readonly ConcurrentDictionary<string, InteractionState> _interactions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _messages = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _nonces = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, JsonObject> _threads = new(StringComparer.Ordinal);

    /// <summary>Threads the bot opened on a message, by the thread's id (the message's id).</summary>
    public IReadOnlyDictionary<string, JsonElement> Threads =>
        _threads.ToDictionary(t => t.Key, t => JsonDocument.Parse(t.Value.ToJsonString()).RootElement.Clone(), StringComparer.Ordinal);

    /// <summary>The id the fake gave the message the bot created with <paramref name="nonce"/>.</summary>
    public string CreatedMessageId(string nonce) =>
        _nonces.TryGetValue(JsonSerializer.Serialize(nonce), out var message) ? message["id"]!.GetValue<string>() : throw new InvalidOperationException("No message with that nonce.");

    /// <summary>The commands of the last bulk overwrite, and the path it went to.</summary>
    public (string Path, JsonElement Commands)? RegisteredCommands { get; private set; }

    private async Task HandleRestAsync(HttpContext context)
    {
        var request = context.Request;
        var path = "/" + (context.GetRouteValue("path") as string ?? "");
        string? body;
        using (var reader = new StreamReader(request.Body))
            body = await reader.ReadToEndAsync();
        if (body.Length == 0)
            body = null;

        var (status, response) = Handle(request.Method, path, request.Headers.Authorization.ToString(), request.Headers.UserAgent.ToString(), request.ContentType, body, context.Response.Headers);
        _requests.Enqueue(new RecordedRequest(request.Method, path, NullIfEmpty(request.Headers.Authorization.ToString()), NullIfEmpty(request.Headers.UserAgent.ToString()), request.ContentType, body, status, DateTimeOffset.UtcNow));
        Pulse();

        context.Response.StatusCode = status;
        if (response is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.ToJsonString());
        }
    }

    private (int Status, JsonNode? Body) Handle(string method, string path, string authorization, string userAgent, string? contentType, string? body, IHeaderDictionary headers)
    {
        var where = $"{method} {path}";
        if (!userAgent.StartsWith("DiscordBot (", StringComparison.Ordinal))
            Violation($"{where}: User-Agent '{userAgent}' is not 'DiscordBot (url, version)'");
        var isWebhook = path.StartsWith("/interactions/", StringComparison.Ordinal) || path.StartsWith("/webhooks/", StringComparison.Ordinal);
        if (!isWebhook && authorization != "Bot " + Token)
            return (401, Error(0, "401: Unauthorized"));
        if (isWebhook && authorization.Length > 0)
            Violation($"{where}: webhook routes are authorized by their token; the bot token should not be sent");

        JsonElement json = default;
        if (body is not null)
        {
            if (contentType is null || !contentType.StartsWith("application/json", StringComparison.Ordinal))
                Violation($"{where}: Content-Type must be application/json");
            try
            {
                json = JsonDocument.Parse(body).RootElement.Clone();
            }
            catch (JsonException)
            {
                Violation($"{where}: the body is not JSON");
                return (400, Error(50109, "The request body contains invalid JSON."));
            }
            if (_contract.ValidateRequest(method, "/api/v10" + path, body) is { Count: > 0 } violations)
            {
                Violation(NewsBot.TestSupport.OpenApi.OpenApiContract.Describe(method, path, violations));
                return (400, Error(50035, "Invalid Form Body"));
            }
        }

        foreach (var failure in _failures)
        {
            if (string.Equals(failure.Method, method, StringComparison.OrdinalIgnoreCase) && path.StartsWith(failure.PathPrefix, StringComparison.Ordinal)
                && TryTake(failure))
            {
                if (failure.Status != 429)
                    return (failure.Status, Error(0, "Server error"));
                var retryAfter = failure.RetryAfter.ToString("0.###", CultureInfo.InvariantCulture);
                headers["Retry-After"] = Math.Ceiling(failure.RetryAfter).ToString(CultureInfo.InvariantCulture);
                headers["X-RateLimit-Scope"] = failure.Global ? "global" : "user";
                if (failure.Global)
                    headers["X-RateLimit-Global"] = "true";
                else
                {
                    headers["X-RateLimit-Limit"] = "5";
                    headers["X-RateLimit-Remaining"] = "0";
                    headers["X-RateLimit-Reset-After"] = retryAfter;
                    headers["X-RateLimit-Bucket"] = Bucket(method, path);
                }
                return (429, new JsonObject { ["message"] = "You are being rate limited.", ["retry_after"] = failure.RetryAfter, ["global"] = failure.Global });
            }
        }

        headers["X-RateLimit-Limit"] = "50";
        headers["X-RateLimit-Remaining"] = "49";
        headers["X-RateLimit-Reset-After"] = "1";
        headers["X-RateLimit-Bucket"] = Bucket(method, path);
        return Route(method, path, json, where);
    }

    private (int, JsonNode?) Route(string method, string path, JsonElement json, string where)
    {
        Match m;
        if (method == "GET" && path == "/gateway/bot")
        {
            return (200, new JsonObject
            {
                ["url"] = GatewayUrl,
                ["shards"] = 1,
                ["session_start_limit"] = new JsonObject { ["total"] = 1000, ["remaining"] = 999, ["reset_after"] = 0, ["max_concurrency"] = 1 },
            });
        }
        if (method == "PUT" && (m = CommandsRoute().Match(path)).Success)
        {
            if (m.Groups["app"].Value != ApplicationId)
                return (404, Error(10002, "Unknown Application"));
            RegisteredCommands = (path, json);
            var result = new JsonArray();
            foreach (var command in json.EnumerateArray())
            {
                var node = JsonNode.Parse(command.GetRawText())!.AsObject();
                node["id"] = NextSnowflake();
                node["application_id"] = ApplicationId;
                node["version"] = NextSnowflake();
                result.Add(node);
            }
            return (200, result);
        }
        if (method == "POST" && (m = CallbackRoute().Match(path)).Success)
            return Callback(m.Groups["id"].Value, m.Groups["token"].Value, json, where);
        if ((m = OriginalRoute().Match(path)).Success)
        {
            if (Acknowledged(m.Groups["app"].Value, m.Groups["token"].Value, where) is not { } state)
                return (404, Error(10015, "Unknown Webhook"));
            if (method == "PATCH")
            {
                Check(DiscordMessageLimits.CheckMessage(json), where, out var bad);
                if (bad)
                    return (400, Error(50035, "Invalid Form Body"));
                state.Original = Message(state.ChannelId, json, reply: false, id: state.OriginalId);
                return (200, state.Original.DeepClone());
            }
            if (method == "DELETE")
            {
                state.Original = null;
                return (204, null);
            }
        }
        if (method == "POST" && (m = FollowupRoute().Match(path)).Success)
        {
            if (Acknowledged(m.Groups["app"].Value, m.Groups["token"].Value, where) is not { } state)
                return (404, Error(10015, "Unknown Webhook"));
            Check(DiscordMessageLimits.CheckMessage(json), where, out var bad);
            return bad ? (400, Error(50035, "Invalid Form Body")) : (200, Message(state.ChannelId, json, reply: false));
        }
        if (method == "POST" && (m = ChannelMessagesRoute().Match(path)).Success)
        {
            Check(DiscordMessageLimits.CheckMessage(json), where, out var bad);
            if (!json.TryGetProperty("content", out _) && !json.TryGetProperty("embeds", out _))
            {
                Violation($"{where}: empty message");
                return (400, Error(50006, "Cannot send an empty message"));
            }
            if (bad)
                return (400, Error(50035, "Invalid Form Body"));
            var nonce = json.TryGetProperty("nonce", out var n) && json.TryGetProperty("enforce_nonce", out var e) && e.ValueKind == JsonValueKind.True ? n.GetRawText() : null;
            if (nonce is not null && _nonces.TryGetValue(nonce, out var earlier))
                return (200, earlier.DeepClone());
            var message = Message(m.Groups["channel"].Value, json, reply: json.TryGetProperty("message_reference", out _));
            _messages[message["id"]!.GetValue<string>()] = message;
            if (nonce is not null)
                _nonces[nonce] = message;
            return (200, message.DeepClone());
        }
        if (method == "POST" && (m = MessageThreadsRoute().Match(path)).Success)
            return StartThread(m.Groups["channel"].Value, m.Groups["message"].Value, json, where);
        if (method == "PATCH" && (m = ChannelMessageRoute().Match(path)).Success)
        {
            if (!_messages.TryGetValue(m.Groups["message"].Value, out var existing))
                return (404, Error(10008, "Unknown Message"));
            Check(DiscordMessageLimits.CheckMessage(json), where, out var bad);
            if (bad)
                return (400, Error(50035, "Invalid Form Body"));
            var updated = Message(m.Groups["channel"].Value, json, reply: existing["type"]!.GetValue<int>() == 19, id: m.Groups["message"].Value);
            _messages[m.Groups["message"].Value] = updated;
            return (200, updated.DeepClone());
        }

        Violation($"{where}: the fake Discord has no such route");
        return (404, Error(0, "404: Not Found"));
    }

    /// <summary>POST /channels/{channel}/messages/{message}/threads: a public thread whose id is the message's id.</summary>
    private (int, JsonNode?) StartThread(string channelId, string messageId, JsonElement json, string where)
    {
        if (!_messages.TryGetValue(messageId, out var message) || message["channel_id"]!.GetValue<string>() != channelId)
            return (404, Error(10008, "Unknown Message"));
        var name = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : "";
        if (name.Length is 0 or > 100)
        {
            Violation($"{where}: a thread name must be 1 to 100 characters, got {name.Length}");
            return (400, Error(50035, "Invalid Form Body"));
        }
        if (json.TryGetProperty("auto_archive_duration", out var archive) && archive.GetInt32() is not (60 or 1440 or 4320 or 10080))
        {
            Violation($"{where}: auto_archive_duration must be 60, 1440, 4320 or 10080");
            return (400, Error(50035, "Invalid Form Body"));
        }
        var thread = new JsonObject
        {
            ["id"] = messageId,
            ["type"] = 11,
            ["guild_id"] = DefaultGuildId,
            ["parent_id"] = channelId,
            ["owner_id"] = BotUserId,
            ["name"] = name,
            ["message_count"] = 0,
            ["member_count"] = 1,
            ["thread_metadata"] = new JsonObject
            {
                ["archived"] = false,
                ["auto_archive_duration"] = archive.ValueKind == JsonValueKind.Number ? archive.GetInt32() : 4320,
                ["archive_timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                ["locked"] = false,
            },
        };
        if (!_threads.TryAdd(messageId, thread))
            return (400, Error(160004, "A thread has already been created for this message"));
        return (201, thread.DeepClone());
    }

    private (int, JsonNode?) Callback(string id, string token, JsonElement json, string where)
    {
        if (!_interactions.TryGetValue(token, out var state) || state.Id != id)
            return (404, Error(10062, "Unknown interaction"));
        var elapsed = DateTimeOffset.UtcNow - state.DispatchedAt;
        if (elapsed > InteractionDeadline)
        {
            Violation($"{where}: the first response came {elapsed.TotalMilliseconds:0} ms after the event (max 3 s)");
            return (404, Error(10062, "Unknown interaction"));
        }
        lock (state)
        {
            if (state.CallbackType is not null)
            {
                Violation($"{where}: interaction acknowledged twice");
                return (400, Error(40060, "Interaction has already been acknowledged."));
            }
            state.CallbackType = json.GetProperty("type").GetInt32();
        }
        var type = state.CallbackType.Value;
        var data = json.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        if (type == 4)
        {
            Check(DiscordMessageLimits.CheckMessage(data), where, out var bad);
            if (bad)
                return (400, Error(50035, "Invalid Form Body"));
            state.Original = Message(state.ChannelId, data, reply: false, id: state.OriginalId);
        }
        else if (type == 5)
        {
            if (data.ValueKind == JsonValueKind.Object && data.EnumerateObject().Any(p => p.Name != "flags"))
                Violation($"{where}: a deferral may only carry flags");
        }
        else if (type == 9)
        {
            if (state.Type is not (2 or 3))
                Violation($"{where}: a modal may only answer a command or a component interaction");
            if (ModalProblem(data) is { } problem)
            {
                Violation($"{where}: {problem}");
                return (400, Error(50035, "Invalid Form Body"));
            }
            state.Modal = JsonNode.Parse(data.GetRawText())!.AsObject();
        }
        else if (type == 8)
        {
            Check(DiscordMessageLimits.CheckChoices(data), where, out var bad);
            if (bad)
                return (400, Error(50035, "Invalid Form Body"));
        }
        state.CallbackAt = DateTimeOffset.UtcNow;
        return (204, null);
    }

    /// <summary>Discord's modal rules: a custom id and title within limits, 1 to 5 top-level components, text inputs with ids.</summary>
    private static string? ModalProblem(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object)
            return "a modal needs data";
        if (!data.TryGetProperty("custom_id", out var id) || id.GetString() is not { Length: > 0 and <= 100 })
            return "a modal's custom_id must be 1 to 100 characters";
        if (!data.TryGetProperty("title", out var title) || title.GetString() is not { Length: > 0 and <= 45 })
            return "a modal's title must be 1 to 45 characters";
        if (!data.TryGetProperty("components", out var components) || components.GetArrayLength() is 0 or > 5)
            return "a modal needs 1 to 5 components";
        foreach (var component in components.EnumerateArray())
        {
            var input = component.GetProperty("type").GetInt32() switch
            {
                18 => component.TryGetProperty("component", out var child) ? child : default,
                1 => component.TryGetProperty("components", out var row) && row.GetArrayLength() == 1 ? row[0] : default,
                _ => default,
            };
            if (input.ValueKind != JsonValueKind.Object || input.GetProperty("type").GetInt32() != 4)
                return "each modal component must hold one text input (type 4) in a label or an action row";
            if (!input.TryGetProperty("custom_id", out var inputId) || inputId.GetString() is not { Length: > 0 and <= 100 })
                return "a text input needs a custom_id of 1 to 100 characters";
            if (component.GetProperty("type").GetInt32() == 18 && (!component.TryGetProperty("label", out var label) || label.GetString() is not { Length: > 0 and <= 45 }))
                return "a label's text must be 1 to 45 characters";
        }
        return null;
    }

    private InteractionState? Acknowledged(string applicationId, string token, string where)
    {
        if (applicationId != ApplicationId || !_interactions.TryGetValue(Uri.UnescapeDataString(token), out var state))
        {
            Violation($"{where}: unknown application or interaction token");
            return null;
        }
        if (state.CallbackType is null)
        {
            Violation($"{where}: the interaction was edited before it was acknowledged");
            return null;
        }
        return state;
    }

    private void Check(List<string> errors, string where, out bool bad)
    {
        foreach (var error in errors)
            Violation($"{where}: {error}");
        bad = errors.Count > 0;
    }

    private JsonObject Message(string channelId, JsonElement body, bool reply, string? id = null)
    {
        var message = new JsonObject
        {
            ["id"] = id ?? NextSnowflake(),
            ["channel_id"] = channelId,
            ["type"] = reply ? 19 : 0,
            ["author"] = User(BotUserId, BotUsername, bot: true),
            ["content"] = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : "",
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["tts"] = false,
            ["mention_everyone"] = false,
            ["mentions"] = new JsonArray(),
            ["mention_roles"] = new JsonArray(),
            ["attachments"] = new JsonArray(),
            ["embeds"] = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("embeds", out var e) ? JsonNode.Parse(e.GetRawText()) : new JsonArray(),
            ["components"] = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("components", out var k) ? JsonNode.Parse(k.GetRawText()) : new JsonArray(),
            ["pinned"] = false,
            ["flags"] = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("flags", out var f) && f.ValueKind == JsonValueKind.Number ? f.GetInt32() : 0,
        };
        if (reply && body.TryGetProperty("message_reference", out var reference))
            message["message_reference"] = JsonNode.Parse(reference.GetRawText());
        return message;
    }

    private bool TryTake(InjectedFailure failure)
    {
        // Take this exact entry: rebuild the queue without it.
        lock (_failures)
        {
            var items = _failures.ToList();
            var index = items.IndexOf(failure);
            if (index < 0)
                return false;
            items.RemoveAt(index);
            _failures.Clear();
            foreach (var item in items)
                _failures.Enqueue(item);
            return true;
        }
    }

    private static string Bucket(string method, string path) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(method + " " + Regex.Replace(path, @"/\d{5,}|/[^/]{40,}", "/{id}"))))[..16];

    private static JsonObject Error(int code, string message) => new() { ["code"] = code, ["message"] = message };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    [GeneratedRegex(@"^/applications/(?<app>\d+)(/guilds/(?<guild>\d+))?/commands$")]
    private static partial Regex CommandsRoute();

    [GeneratedRegex(@"^/interactions/(?<id>\d+)/(?<token>[^/]+)/callback$")]
    private static partial Regex CallbackRoute();

    [GeneratedRegex(@"^/webhooks/(?<app>\d+)/(?<token>[^/]+)/messages/@original$")]
    private static partial Regex OriginalRoute();

    [GeneratedRegex(@"^/webhooks/(?<app>\d+)/(?<token>[^/]+)$")]
    private static partial Regex FollowupRoute();

    [GeneratedRegex(@"^/channels/(?<channel>\d+)/messages$")]
    private static partial Regex ChannelMessagesRoute();

    [GeneratedRegex(@"^/channels/(?<channel>\d+)/messages/(?<message>\d+)$")]
    private static partial Regex ChannelMessageRoute();

    [GeneratedRegex(@"^/channels/(?<channel>\d+)/messages/(?<message>\d+)/threads$")]
    private static partial Regex MessageThreadsRoute();

    private sealed class InteractionState(string id, string token, string channelId, DateTimeOffset dispatchedAt, string originalId, int type)
    {
        public int Type { get; } = type;

        public JsonObject? Modal { get; set; }

        public string Id { get; } = id;

        public string Token { get; } = token;

        public string ChannelId { get; } = channelId;

        public DateTimeOffset DispatchedAt { get; } = dispatchedAt;

        public string OriginalId { get; } = originalId;

        public int? CallbackType { get; set; }

        public DateTimeOffset? CallbackAt { get; set; }

        public JsonObject? Original { get; set; }
    }
}
