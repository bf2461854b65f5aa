using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Protocol.Gateway;

/// <summary>
/// One Gateway v10 connection kept alive: Hello, heartbeats with jitter and zombie detection, Identify or Resume,
/// then dispatches handed to the caller in order. Reconnects on its own (resuming when the session allows, with
/// backoff and jitter) and stops only when cancelled or when Discord closes with a code that retrying cannot fix.
/// </summary>
internal sealed partial class GatewayClient
{
    private const int MaxSendBytes = 4096;
    private const int MaxReceiveBytes = 64 * 1024 * 1024;

    private readonly string _token;
    private readonly GatewayIntents _intents;
    private readonly GatewayTimings _timings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly GatewaySendLimiter _limiter;

    public GatewayClient(DiscordOptions options, GatewayTimings timings, TimeProvider time, ILogger<GatewayClient> logger)
    {
        _token = BotToken.Normalize(options.Token ?? "");
        _intents = GatewayIntentSelection.For(options);
        _timings = timings;
        _time = time;
        _logger = logger;
        _limiter = new GatewaySendLimiter(time);
    }

    public GatewaySession Session { get; } = new();

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled (closing with 1000, which ends the session) or a
    /// fatal close code arrives (<see cref="DiscordFatalException"/>). <paramref name="onDispatch"/> runs on the
    /// receive loop, so it should hand long work off.
    /// </summary>
    public async Task RunAsync(Uri gatewayUrl, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch, CancellationToken cancellationToken)
    {
        var failures = 0;
        var resumeFailures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var resuming = Session.CanResume;
            var url = WithQuery(resuming ? Session.ResumeUrl! : gatewayUrl);
            var connection = new Connection(this, resuming, onDispatch);
            Outcome outcome;
            try
            {
                LogConnecting(_logger, resuming ? "resume" : "identify", url.GetLeftPart(UriPartial.Path));
                outcome = await connection.RunAsync(url, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or JsonException or InvalidDataException)
            {
                LogConnectionLost(_logger, ex.GetType().Name, ex.Message);
                outcome = Outcome.Resume(TimeSpan.Zero);
            }

            if (outcome.FatalMessage is { } fatal)
                throw new DiscordFatalException(fatal);

            if (connection.Established)
            {
                failures = 0;
                resumeFailures = 0;
            }
            else
            {
                failures++;
                if (resuming)
                    resumeFailures++;
            }
            if (!outcome.Resumable || resumeFailures >= _timings.MaxResumeAttempts)
            {
                // A stale session must not be carried to the next connection: drop the id and the sequence together.
                Session.Clear();
                resumeFailures = 0;
            }

            var delay = Max(outcome.MinimumDelay, Backoff(failures));
            if (delay > TimeSpan.Zero)
            {
                LogReconnectDelay(_logger, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    /// <summary>Adds <c>?v=10&amp;encoding=json</c>; the resume URL from READY comes without it.</summary>
    internal static Uri WithQuery(Uri url)
    {
        var builder = new UriBuilder(url) { Query = "v=10&encoding=json" };
        if (string.IsNullOrEmpty(builder.Path))
            builder.Path = "/";
        return builder.Uri;
    }

    private TimeSpan Backoff(int failures)
    {
        if (failures <= 0)
            return TimeSpan.Zero;
        var exponential = _timings.BackoffBase.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 16));
        var capped = Math.Min(exponential, _timings.BackoffMax.TotalMilliseconds);
        // Jitter spreads reconnects of many clients after an outage.
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private TimeSpan InvalidSessionDelay()
    {
        var min = _timings.InvalidSessionDelayMin.TotalMilliseconds;
        var max = Math.Max(min, _timings.InvalidSessionDelayMax.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(min + (Random.Shared.NextDouble() * (max - min)));
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static string OperatingSystemName() =>
        OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "macos" : "linux";

    private sealed record Outcome(bool Resumable, TimeSpan MinimumDelay, string? FatalMessage = null)
    {
        public static Outcome Resume(TimeSpan delay) => new(true, delay);

        public static Outcome NewSession(TimeSpan delay) => new(false, delay);

        public static Outcome Fatal(string message) => new(false, TimeSpan.Zero, message);
    }

    /// <summary>The state of one socket; a new connection starts with fresh heartbeat flags.</summary>
    private sealed class Connection
    {
        private readonly GatewayClient _client;
        private readonly bool _resuming;
        private readonly Func<GatewayDispatch, CancellationToken, ValueTask> _onDispatch;
        private readonly SemaphoreSlim _sendLock = new(1, 1);
        private ClientWebSocket? _socket;
        private CancellationTokenSource? _connectionCts;
        private volatile bool _ackPending;
        private volatile bool _zombie;

        public Connection(GatewayClient client, bool resuming, Func<GatewayDispatch, CancellationToken, ValueTask> onDispatch)
        {
            _client = client;
            _resuming = resuming;
            _onDispatch = onDispatch;
        }

        /// <summary>READY or RESUMED arrived on this connection.</summary>
        public bool Established { get; private set; }

        private GatewaySession Session => _client.Session;

        private ILogger Logger => _client._logger;

        public async Task<Outcome> RunAsync(Uri url, CancellationToken cancellationToken)
        {
            using var socket = new ClientWebSocket();
            _socket = socket;
            // Not linked to the shutdown token: cancelling a receive aborts the socket, and shutdown should instead
            // send close 1000 and let Discord answer it. ShutdownAsync cancels this only if Discord does not.
            using var connectionCts = new CancellationTokenSource();
            _connectionCts = connectionCts;
            using (var timeout = new CancellationTokenSource(_client._timings.ConnectTimeout, _client._time))
            using (var connect = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
            {
                await socket.ConnectAsync(url, connect.Token);
            }

            Task? heartbeat = null;
            using var shutdown = cancellationToken.Register(() => _ = ShutdownAsync());
            try
            {
                var buffer = new ArrayBufferWriter<byte>(16 * 1024);
                while (true)
                {
                    if (!await ReceiveAsync(socket, buffer, connectionCts.Token))
                        return Closed(socket.CloseStatus, socket.CloseStatusDescription);
                    var payload = JsonSerializer.Deserialize(buffer.WrittenSpan, DiscordJsonContext.Default.GatewayPayload)
                        ?? throw new InvalidDataException("The gateway sent an empty frame.");
                    switch (payload.Op)
                    {
                        case GatewayOpCode.Hello:
                            var hello = payload.D.Deserialize(DiscordJsonContext.Default.HelloData)
                                ?? throw new InvalidDataException("Hello without a heartbeat interval.");
                            _ackPending = false;
                            heartbeat ??= HeartbeatLoopAsync(TimeSpan.FromMilliseconds(hello.HeartbeatInterval), connectionCts.Token);
                            if (_resuming && Session.SessionId is { } sessionId)
                                await SendAsync(JsonSerializer.SerializeToUtf8Bytes(new GatewayFrame<ResumeData>(GatewayOpCode.Resume, new ResumeData(_client._token, sessionId, Session.Sequence ?? 0)), DiscordJsonContext.Default.GatewayFrameResumeData), heartbeat: false, connectionCts.Token);
                            else
                                await SendAsync(JsonSerializer.SerializeToUtf8Bytes(new GatewayFrame<IdentifyData>(GatewayOpCode.Identify, new IdentifyData(_client._token, new IdentifyProperties(OperatingSystemName(), "newsbot", "newsbot"), (int)_client._intents)), DiscordJsonContext.Default.GatewayFrameIdentifyData), heartbeat: false, connectionCts.Token);
                            break;
                        case GatewayOpCode.Dispatch:
                            Session.Observe(payload.S);
                            await OnDispatchAsync(payload, cancellationToken);
                            break;
                        case GatewayOpCode.Heartbeat:
                            await SendHeartbeatAsync(connectionCts.Token);
                            break;
                        case GatewayOpCode.HeartbeatAck:
                            _ackPending = false;
                            break;
                        case GatewayOpCode.Reconnect:
                            LogReconnectRequested(Logger);
                            await CloseAsync(GatewayCloseCodes.Reconnecting, "reconnect requested");
                            return Outcome.Resume(TimeSpan.Zero);
                        case GatewayOpCode.InvalidSession:
                            var resumable = payload.D.ValueKind == JsonValueKind.True;
                            LogInvalidSession(Logger, resumable);
                            await CloseAsync(GatewayCloseCodes.Reconnecting, "invalid session");
                            return resumable && Session.CanResume ? Outcome.Resume(TimeSpan.Zero) : Outcome.NewSession(_client.InvalidSessionDelay());
                        default:
                            break;
                    }
                }
            }
            catch (OperationCanceledException) when (_zombie && !cancellationToken.IsCancellationRequested)
            {
                return Outcome.Resume(TimeSpan.Zero);
            }
            finally
            {
                if (cancellationToken.IsCancellationRequested && socket.State == WebSocketState.Open)
                    await CloseAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down");
                await connectionCts.CancelAsync();
                if (heartbeat is not null)
                    await heartbeat;
            }
        }

        private async Task ShutdownAsync()
        {
            await CloseAsync((int)WebSocketCloseStatus.NormalClosure, "shutting down");
            try
            {
                await Task.Delay(_client._timings.CloseTimeout, _client._time);
                await _connectionCts!.CancelAsync();
            }
            catch (ObjectDisposedException)
            {
                // The connection ended on its own.
            }
        }

        private async ValueTask OnDispatchAsync(GatewayPayload payload, CancellationToken cancellationToken)
        {
            if (payload.T is not { } type)
                return;
            if (type == "READY")
            {
                var ready = payload.D.Deserialize(DiscordJsonContext.Default.ReadyData);
                if (ready?.SessionId is { } sessionId && Uri.TryCreate(ready.ResumeGatewayUrl, UriKind.Absolute, out var resumeUrl))
                    Session.Start(sessionId, resumeUrl);
                Established = true;
                LogReady(Logger, ready?.User?.Username ?? "?");
            }
            else if (type == "RESUMED")
            {
                Established = true;
                LogResumed(Logger);
            }

            try
            {
                await _onDispatch(new GatewayDispatch(type, payload.D), cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogDispatchFailed(Logger, type, ex);
            }
        }

        private async Task HeartbeatLoopAsync(TimeSpan interval, CancellationToken cancellationToken)
        {
            try
            {
                // The first beat waits interval × jitter so that clients reconnecting together spread out.
                await Task.Delay(interval * Random.Shared.NextDouble(), _client._time, cancellationToken);
                while (!cancellationToken.IsCancellationRequested)
                {
                    if (_ackPending)
                    {
                        // No ACK since the last beat: the connection is a zombie. Close with a non-1000 code so the
                        // session stays resumable, then resume on a new socket.
                        LogZombie(Logger);
                        _zombie = true;
                        await CloseAsync(GatewayCloseCodes.Reconnecting, "heartbeat not acknowledged");
                        await _connectionCts!.CancelAsync();
                        return;
                    }
                    _ackPending = true;
                    await SendHeartbeatAsync(cancellationToken);
                    await Task.Delay(interval, _client._time, cancellationToken);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (WebSocketException)
            {
                _zombie = true;
                await _connectionCts!.CancelAsync();
            }
        }

        private Task SendHeartbeatAsync(CancellationToken cancellationToken) =>
            SendAsync(JsonSerializer.SerializeToUtf8Bytes(new HeartbeatFrame(GatewayOpCode.Heartbeat, Session.Sequence), DiscordJsonContext.Default.HeartbeatFrame), heartbeat: true, cancellationToken);

        private async Task SendAsync(byte[] frame, bool heartbeat, CancellationToken cancellationToken)
        {
            if (frame.Length > MaxSendBytes)
                throw new InvalidOperationException($"A gateway frame of {frame.Length} bytes is over Discord's {MaxSendBytes}-byte limit.");
            if (!heartbeat)
                await _client._limiter.WaitAsync(cancellationToken);
            await _sendLock.WaitAsync(cancellationToken);
            try
            {
                await _socket!.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }
            finally
            {
                _sendLock.Release();
            }
        }

        private async Task CloseAsync(int code, string reason)
        {
            if (_socket is not { State: WebSocketState.Open or WebSocketState.CloseReceived } socket)
                return;
            using var timeout = new CancellationTokenSource(_client._timings.CloseTimeout, _client._time);
            try
            {
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The socket is going away anyway.
            }
        }

        private static async Task<bool> ReceiveAsync(ClientWebSocket socket, ArrayBufferWriter<byte> buffer, CancellationToken cancellationToken)
        {
            buffer.ResetWrittenCount();
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(16 * 1024), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                    return false;
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxReceiveBytes)
                    throw new InvalidDataException("A gateway frame was larger than 64 MiB.");
                if (result.EndOfMessage)
                    return true;
            }
        }

        private Outcome Closed(WebSocketCloseStatus? status, string? description)
        {
            if (status is null)
                return Outcome.Resume(TimeSpan.Zero);
            var code = (int)status.Value;
            LogClosed(Logger, code, description ?? "");
            if (GatewayCloseCodes.FatalMessage(code) is { } fatal)
                return Outcome.Fatal(fatal);
            return GatewayCloseCodes.EndsSession(code) ? Outcome.NewSession(TimeSpan.Zero) : Outcome.Resume(TimeSpan.Zero);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connecting to the Discord gateway ({Mode}) at {Url}")]
    private static partial void LogConnecting(ILogger logger, string mode, string url);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Discord gateway connection was lost ({Kind}: {Reason})")]
    private static partial void LogConnectionLost(ILogger logger, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting to the Discord gateway in {DelayMilliseconds} ms")]
    private static partial void LogReconnectDelay(ILogger logger, long delayMilliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord asked us to reconnect (op 7); resuming")]
    private static partial void LogReconnectRequested(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord invalidated the session (op 9, resumable: {Resumable})")]
    private static partial void LogInvalidSession(ILogger logger, bool resumable);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to Discord as {Username}")]
    private static partial void LogReady(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resumed the Discord session")]
    private static partial void LogResumed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No heartbeat ACK from Discord since the last heartbeat; reconnecting to resume")]
    private static partial void LogZombie(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Discord gateway closed the connection with code {Code} ({Reason})")]
    private static partial void LogClosed(ILogger logger, int code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling the {EventType} event failed")]
    private static partial void LogDispatchFailed(ILogger logger, string eventType, Exception exception);
}
