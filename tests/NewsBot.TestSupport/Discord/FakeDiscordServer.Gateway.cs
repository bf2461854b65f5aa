using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace NewsBot.TestSupport.Discord;

public sealed partial class FakeDiscordServer
{
    private readonly ConcurrentDictionary<int, GatewayConnection> _connections = new();
    private readonly ConcurrentDictionary<string, FakeSession> _sessions = new(StringComparer.Ordinal);
    private int _connectionCount;
    private volatile GatewayConnection? _current;

    /// <summary>True while a connection is identified or resumed and open.</summary>
    public bool HasLiveSession => _current is { Session: not null, IsOpen: true };

    public int IdentifyCount => _gateway.Count(r => r.Kind == "identify");

    public int ResumeCount => _gateway.Count(r => r.Kind == "resume");

    /// <summary>Waits until the bot has identified (or resumed) on an open connection.</summary>
    public Task WaitForSessionAsync(TimeSpan? timeout = null) => WaitForAsync(() => HasLiveSession, "a live gateway session", timeout);

    /// <summary>Sends op 7 Reconnect on the current connection.</summary>
    public async Task SendReconnectAsync()
    {
        var connection = _current ?? throw new InvalidOperationException("No gateway connection.");
        Record(connection.Number, "server-reconnect", null, default);
        await connection.SendAsync(new JsonObject { ["op"] = 7, ["d"] = null });
    }

    /// <summary>Sends op 9; a non-resumable one also forgets the session, so a later Resume fails.</summary>
    public async Task SendInvalidSessionAsync(bool resumable)
    {
        var connection = _current ?? throw new InvalidOperationException("No gateway connection.");
        if (!resumable && connection.Session is { } session)
            _sessions.TryRemove(session.Id, out _);
        Record(connection.Number, "server-invalid-session", resumable ? "true" : "false", default);
        await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = resumable });
    }

    /// <summary>Closes the current connection with <paramref name="code"/>, as Discord does on errors.</summary>
    public async Task CloseGatewayAsync(int code, string reason = "closed by test")
    {
        var connection = _current ?? _connections.Values.OrderByDescending(c => c.Number).FirstOrDefault()
            ?? throw new InvalidOperationException("No gateway connection.");
        await connection.CloseAsync(code, reason);
        Record(connection.Number, "server-close", code.ToString(System.Globalization.CultureInfo.InvariantCulture), default);
    }

    /// <summary>Stops acknowledging heartbeats on the current connection (a zombie connection, as the bot sees it).</summary>
    public void WithholdHeartbeatAcks()
    {
        var connection = _current ?? throw new InvalidOperationException("No gateway connection.");
        connection.WithholdAcks = true;
    }

    /// <summary>Sends a dispatch on the current session; it is kept for replay, as Discord does, if the bot resumes.</summary>
    public async Task<long> DispatchAsync(string type, JsonNode data)
    {
        var connection = _current;
        var session = connection?.Session ?? throw new InvalidOperationException("No identified gateway session.");
        var json = data.ToJsonString();
        long sequence;
        lock (session)
        {
            sequence = ++session.Sequence;
            session.Log.Add((sequence, type, json));
        }
        try
        {
            await connection.SendAsync(Dispatch(type, json, sequence));
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The bot gets it on resume.
        }
        return sequence;
    }

    private async Task AcceptGatewayAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }
        var number = Interlocked.Increment(ref _connectionCount);
        var query = context.Request.Query;
        Record(number, "connect", context.Request.Path + context.Request.QueryString, default);
        if (query["v"] != "10" || query["encoding"] != "json")
            Violation($"gateway connection #{number} without ?v=10&encoding=json: {context.Request.QueryString}");

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new GatewayConnection(number, socket);
        _connections[number] = connection;
        try
        {
            await connection.SendAsync(new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMilliseconds } });
            var buffer = new ArrayBufferWriter<byte>();
            while (true)
            {
                buffer.ResetWrittenCount();
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.GetMemory(8192), context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Record(number, "close", ((int?)socket.CloseStatus)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", default);
                        await connection.CloseAsync(socket.CloseStatus is null or WebSocketCloseStatus.Empty ? 1000 : (int)socket.CloseStatus.Value, "bye");
                        return;
                    }
                    buffer.Advance(result.Count);
                }
                while (!result.EndOfMessage);

                if (buffer.WrittenCount > 4096)
                {
                    Violation($"the bot sent a gateway frame of {buffer.WrittenCount} bytes (max 4096)");
                    await connection.CloseAsync(4002, "Decode error");
                    return;
                }
                await OnFrameAsync(connection, buffer.WrittenSpan.ToArray());
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            Record(number, "dropped", ex.GetType().Name, default);
        }
        finally
        {
            connection.Closed = true;
            _connections.TryRemove(number, out _);
            Pulse();
        }
    }

    private async Task OnFrameAsync(GatewayConnection connection, byte[] frame)
    {
        JsonElement payload;
        try
        {
            payload = JsonDocument.Parse(frame).RootElement.Clone();
        }
        catch (JsonException)
        {
            Violation("the bot sent a gateway frame that is not JSON");
            await connection.CloseAsync(4002, "Decode error");
            return;
        }
        var op = payload.TryGetProperty("op", out var opElement) && opElement.ValueKind == JsonValueKind.Number ? opElement.GetInt32() : -1;
        var d = payload.TryGetProperty("d", out var dElement) ? dElement : default;
        switch (op)
        {
            case 1:
                Record(connection.Number, "heartbeat", d.ValueKind == JsonValueKind.Number ? d.GetRawText() : "null", payload);
                if (d.ValueKind is not (JsonValueKind.Number or JsonValueKind.Null))
                    Violation("heartbeat d must be the last sequence number or null");
                if (!connection.WithholdAcks)
                    await connection.SendAsync(new JsonObject { ["op"] = 11 });
                break;
            case 2:
                Record(connection.Number, "identify", null, payload);
                await IdentifyAsync(connection, d);
                break;
            case 6:
                Record(connection.Number, "resume", null, payload);
                await ResumeAsync(connection, d);
                break;
            default:
                Record(connection.Number, "frame", op.ToString(System.Globalization.CultureInfo.InvariantCulture), payload);
                Violation($"unexpected gateway op {op}");
                break;
        }
    }

    private async Task IdentifyAsync(GatewayConnection connection, JsonElement d)
    {
        if (connection.Session is not null)
        {
            await connection.CloseAsync(4005, "Already authenticated");
            return;
        }
        var problems = new List<string>();
        if (d.ValueKind != JsonValueKind.Object)
            problems.Add("identify d is not an object");
        else
        {
            if (!d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String)
                problems.Add("identify without a token");
            else if (token.GetString()!.StartsWith("Bot ", StringComparison.Ordinal))
                problems.Add("identify token must not carry the 'Bot ' prefix");
            if (!d.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
                || !new[] { "os", "browser", "device" }.All(p => properties.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String))
            {
                problems.Add("identify properties must have os, browser and device");
            }
            if (!d.TryGetProperty("intents", out var intents) || intents.ValueKind != JsonValueKind.Number)
                problems.Add("identify without intents");
        }
        if (problems.Count > 0)
        {
            foreach (var problem in problems)
                Violation(problem);
            await connection.CloseAsync(4001, "Invalid payload");
            return;
        }
        if (d.GetProperty("token").GetString() != Token)
        {
            await CloseFromServerAsync(connection, 4004, "Authentication failed");
            return;
        }
        var intentBits = d.GetProperty("intents").GetInt64();
        if (intentBits < 0 || intentBits >= 1 << 26)
        {
            await CloseFromServerAsync(connection, 4013, "Invalid intent(s)");
            return;
        }
        if ((intentBits & (1 << 15)) != 0 && !MessageContentAllowed)
        {
            await CloseFromServerAsync(connection, 4014, "Disallowed intent(s)");
            return;
        }

        var session = new FakeSession(Guid.NewGuid().ToString("N"));
        _sessions[session.Id] = session;
        connection.Session = session;
        _current = connection;
        var ready = new JsonObject
        {
            ["v"] = 10,
            ["user"] = User(BotUserId, BotUsername, bot: true),
            ["guilds"] = new JsonArray(),
            ["session_id"] = session.Id,
            ["resume_gateway_url"] = ResumeGatewayUrl,
            ["application"] = new JsonObject { ["id"] = ApplicationId, ["flags"] = 0 },
        };
        await DispatchAsync("READY", ready);
        Pulse();
    }

    private async Task ResumeAsync(GatewayConnection connection, JsonElement d)
    {
        if (d.ValueKind != JsonValueKind.Object
            || !d.TryGetProperty("token", out var token) || token.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("session_id", out var sessionId) || sessionId.ValueKind != JsonValueKind.String
            || !d.TryGetProperty("seq", out var seq) || seq.ValueKind != JsonValueKind.Number)
        {
            Violation("resume needs token, session_id and seq");
            await connection.CloseAsync(4001, "Invalid payload");
            return;
        }
        if (token.GetString() != Token)
        {
            await CloseFromServerAsync(connection, 4004, "Authentication failed");
            return;
        }
        if (!_sessions.TryGetValue(sessionId.GetString()!, out var session))
        {
            await connection.SendAsync(new JsonObject { ["op"] = 9, ["d"] = false });
            return;
        }
        var from = seq.GetInt64();
        List<(long Sequence, string Type, string Json)> missed;
        lock (session)
        {
            if (from > session.Sequence)
                missed = [];
            else
                missed = session.Log.Where(e => e.Sequence > from).ToList();
        }
        if (from > session.Sequence)
        {
            await CloseFromServerAsync(connection, 4007, "Invalid seq");
            return;
        }
        connection.Session = session;
        _current = connection;
        foreach (var (sequence, type, json) in missed)
            await connection.SendAsync(Dispatch(type, json, sequence));
        await DispatchAsync("RESUMED", new JsonObject());
        Pulse();
    }

    private async Task CloseFromServerAsync(GatewayConnection connection, int code, string reason)
    {
        Record(connection.Number, "server-close", code.ToString(System.Globalization.CultureInfo.InvariantCulture), default);
        await connection.CloseAsync(code, reason);
    }

    private static JsonObject Dispatch(string type, string json, long sequence) => new()
    {
        ["op"] = 0,
        ["d"] = JsonNode.Parse(json),
        ["s"] = sequence,
        ["t"] = type,
    };

    private void Record(int connection, string kind, string? detail, JsonElement payload)
    {
        _gateway.Enqueue(new GatewayRecord(connection, kind, detail, payload, DateTimeOffset.UtcNow));
        Pulse();
    }

    private sealed class FakeSession(string id)
    {
        public string Id { get; } = id;

        public long Sequence { get; set; }

        public List<(long Sequence, string Type, string Json)> Log { get; } = [];
    }

    private sealed class GatewayConnection(int number, WebSocket socket)
    {
        private readonly SemaphoreSlim _send = new(1, 1);

        public int Number { get; } = number;

        public FakeSession? Session { get; set; }

        public volatile bool WithholdAcks;

        public volatile bool Closed;

        public bool IsOpen => !Closed && socket.State == WebSocketState.Open;

        public async Task SendAsync(JsonNode frame)
        {
            var bytes = Encoding.UTF8.GetBytes(frame.ToJsonString());
            await _send.WaitAsync();
            try
            {
                if (socket.State == WebSocketState.Open)
                    await socket.SendAsync(bytes, WebSocketMessageType.Text, true, CancellationToken.None);
            }
            finally
            {
                _send.Release();
            }
        }

        public async Task CloseAsync(int code, string reason)
        {
            await _send.WaitAsync();
            try
            {
                if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or ArgumentException)
            {
            }
            finally
            {
                Closed = true;
                _send.Release();
            }
        }

        public void Abort() => socket.Abort();
    }
}
