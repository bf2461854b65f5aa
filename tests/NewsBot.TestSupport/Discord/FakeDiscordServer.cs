using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.TestSupport.OpenApi;

namespace NewsBot.TestSupport.Discord;

/// <summary>
/// Discord's side of the bot's conversation, on 127.0.0.1: a Gateway v10 WebSocket endpoint (Hello, Identify/Resume
/// validation, heartbeat ACKs, READY with a resume URL pointing back here, replay on resume) and the REST routes the
/// bot uses. Every REST request is recorded and checked against Discord's OpenAPI document and message limits; a
/// request that breaks either is answered 400 and listed in <see cref="Violations"/>.
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    /// <summary>Shaped like a real bot token (three base64url parts), so option validation accepts it.</summary>
    public const string ValidToken = "MTEwMDAwMDAwMDAwMDAwMDAwMg.GfAkeX.ZmFrZS1kaXNjb3JkLXRva2VuLWZvci10ZXN0cw";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly WebApplication _app;
    private readonly OpenApiContract _contract;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<GatewayRecord> _gateway = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly ConcurrentQueue<InjectedFailure> _failures = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextSnowflake = 1_200_000_000_000_000_000;

    private FakeDiscordServer(WebApplication app, OpenApiContract contract)
    {
        _app = app;
        _contract = contract;
    }

    public string Token { get; init; } = ValidToken;

    public string ApplicationId { get; } = "1100000000000000001";

    public string BotUserId { get; } = "1100000000000000002";

    public string BotUsername { get; } = "NewsBot";

    /// <summary>Sent in Hello; tests use a short interval so that heartbeats and zombie detection happen quickly.</summary>
    public int HeartbeatIntervalMilliseconds { get; set; } = 45_000;

    /// <summary>Whether the app may ask for the Message Content intent; when false, asking closes with 4014.</summary>
    public bool MessageContentAllowed { get; set; }

    public int Port { get; private set; }

    public string ApiBaseUrl => $"http://127.0.0.1:{Port}/api/v10";

    public string GatewayUrl => $"ws://127.0.0.1:{Port}/gateway";

    /// <summary>What READY names as <c>resume_gateway_url</c>: a different path, so a test can tell resumes apart.</summary>
    public string ResumeGatewayUrl => $"ws://127.0.0.1:{Port}/resume-gateway";

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<GatewayRecord> Gateway => _gateway.ToArray();

    /// <summary>Every contract, limit or protocol rule the bot broke; a passing test expects none.</summary>
    public IReadOnlyList<string> Violations => _violations.ToArray();

    /// <summary>The settings a bot needs to talk to this server, as configuration keys.</summary>
    public Dictionary<string, string?> BotSettings() => new()
    {
        ["Discord:Token"] = Token,
        ["Discord:ApiBaseUrl"] = ApiBaseUrl,
        ["Discord:GatewayUrl"] = GatewayUrl,
    };

    public static async Task<FakeDiscordServer> StartAsync(string? token = null)
    {
        var app = LoopbackHost.Create(s => s.AddRouting());
        var server = new FakeDiscordServer(app, OpenApiContract.Load(RepositoryPaths.SharedFile("specs", "discord-openapi.json")))
        {
            Token = token ?? ValidToken,
        };
        app.UseWebSockets();
        app.Map("/gateway", server.AcceptGatewayAsync);
        app.Map("/resume-gateway", server.AcceptGatewayAsync);
        app.Map("/api/v10/{**path}", server.HandleRestAsync);
        server.Port = (await LoopbackHost.StartAsync(app)).Port;
        return server;
    }

    /// <summary>Answers the next <paramref name="times"/> requests matching <paramref name="method"/> and the path prefix with 429.</summary>
    public void RateLimitNext(string method, string pathPrefix, double retryAfterSeconds, bool global = false, int times = 1)
    {
        for (var i = 0; i < times; i++)
            _failures.Enqueue(new InjectedFailure(method, pathPrefix, 429, retryAfterSeconds, global));
    }

    /// <summary>Answers the next request matching with a server error.</summary>
    public void FailNext(string method, string pathPrefix, int status = 502) =>
        _failures.Enqueue(new InjectedFailure(method, pathPrefix, status, 0, false));

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking whenever the server records something.</summary>
    public async Task WaitForAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var signal = Volatile.Read(ref _changed).Task;
            if (condition())
                return;
            try
            {
                await signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}.\n{Describe()}");
            }
        }
    }

    public async Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, string what, TimeSpan? timeout = null)
    {
        RecordedRequest? found = null;
        await WaitForAsync(() => (found = _requests.FirstOrDefault(match)) is not null, what, timeout);
        return found!;
    }

    /// <summary>The recent traffic, for failure messages.</summary>
    public string Describe()
    {
        var builder = new StringBuilder();
        builder.AppendLine("Gateway:");
        foreach (var record in _gateway.TakeLast(30))
            builder.Append("  ").AppendLine(record.ToString());
        builder.AppendLine("REST:");
        foreach (var request in _requests.TakeLast(30))
            builder.Append("  ").AppendLine(request.ToString());
        if (!_violations.IsEmpty)
        {
            builder.AppendLine("Violations:");
            foreach (var violation in _violations)
                builder.Append("  ").AppendLine(violation);
        }
        return builder.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Values)
            connection.Abort();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }

    private string NextSnowflake() => Interlocked.Increment(ref _nextSnowflake).ToString(CultureInfo.InvariantCulture);

    private void Violation(string message)
    {
        _violations.Enqueue(message);
        Pulse();
    }

    private void Pulse()
    {
        var previous = Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    private static JsonObject User(string id, string username, bool bot = false)
    {
        var user = new JsonObject
        {
            ["id"] = id,
            ["username"] = username,
            ["discriminator"] = "0",
            ["global_name"] = username,
            ["avatar"] = null,
        };
        if (bot)
            user["bot"] = true;
        return user;
    }

    private sealed record InjectedFailure(string Method, string PathPrefix, int Status, double RetryAfter, bool Global);
}
