using System.Collections.Concurrent;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace NewsBot.TestSupport.OpenAI;

/// <summary>
/// An OpenAI-compatible server on 127.0.0.1 for tests: <c>POST /v1/chat/completions</c> (JSON, or server-sent events
/// when the request says <c>stream: true</c>) and <c>POST /v1/embeddings</c> (float arrays or base64, as asked).
/// Each test scripts it: queued replies first, then <see cref="ChatResponder"/>, then "OK". It checks the API key
/// and model name when told to, and records every request.
/// </summary>
public sealed class FakeOpenAIServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeReply> _chatReplies = new();
    private readonly ConcurrentQueue<FakeReply> _embeddingReplies = new();
    private readonly ConcurrentQueue<FakeChatRequest> _chatRequests = new();
    private readonly ConcurrentQueue<FakeEmbeddingRequest> _embeddingRequests = new();

    private FakeOpenAIServer(WebApplication app)
    {
        _app = app;
    }

    /// <summary>The base URL to configure as Model:Endpoint, ending in <c>/v1/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>Computes a chat reply from the request when no queued reply is left.</summary>
    public Func<FakeChatRequest, FakeReply>? ChatResponder { get; set; }

    /// <summary>When set, requests without <c>Authorization: Bearer {key}</c> get 401.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>When set, requests for any other model get 404 <c>model_not_found</c>.</summary>
    public IReadOnlySet<string>? KnownModels { get; set; }

    /// <summary>The vector size when a request does not ask for one.</summary>
    public int DefaultEmbeddingDimensions { get; set; } = 16;

    /// <summary>When set, every vector has this size whatever the request asks for, as with models of a fixed size.</summary>
    public int? FixedEmbeddingDimensions { get; set; }

    /// <summary>Answer embeddings as float arrays even when base64 is asked for, as some local servers do.</summary>
    public bool IgnoreEncodingFormat { get; set; }

    public IReadOnlyList<FakeChatRequest> ChatRequests => [.. _chatRequests];

    public IReadOnlyList<FakeEmbeddingRequest> EmbeddingRequests => [.. _embeddingRequests];

    public static async Task<FakeOpenAIServer> StartAsync()
    {
        var app = LoopbackHost.Create();
        var server = new FakeOpenAIServer(app);
        app.MapPost("/v1/chat/completions", server.ChatAsync);
        app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        server.Endpoint = new Uri(await LoopbackHost.StartAsync(app), "v1/");
        return server;
    }

    public void Enqueue(params FakeReply[] replies)
    {
        foreach (var reply in replies)
            _chatReplies.Enqueue(reply);
    }

    public void EnqueueEmbeddings(params FakeReply[] replies)
    {
        foreach (var reply in replies)
            _embeddingReplies.Enqueue(reply);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task ChatAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var request = new FakeChatRequest(
            (string?)body["model"] ?? "",
            body["messages"]?.AsArray().Select(ReadMessage).ToList() ?? [],
            (double?)body["temperature"],
            (int?)body["max_tokens"],
            (int?)body["max_completion_tokens"],
            (bool?)body["stream"] ?? false,
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null,
            body);
        _chatRequests.Enqueue(request);
        if (await RejectAsync(context, request.Authorization, request.Model))
            return;
        var reply = _chatReplies.TryDequeue(out var queued) ? queued : ChatResponder?.Invoke(request) ?? FakeReply.Chat("OK");
        if (reply.Hang)
        {
            await WaitForeverAsync(context.RequestAborted);
            return;
        }
        if (reply.Status != 200)
        {
            await WriteErrorAsync(context, reply);
            return;
        }
        var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..12];
        if (!request.Stream)
        {
            var completion = new JsonObject
            {
                ["id"] = id,
                ["object"] = "chat.completion",
                ["created"] = 1_700_000_000,
                ["model"] = request.Model,
                ["choices"] = new JsonArray(new JsonObject
                {
                    ["index"] = 0,
                    ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = reply.Text },
                    ["finish_reason"] = "stop",
                }),
                ["usage"] = Usage(request.Messages.Sum(m => m.Content.Length) / 4, reply.Text.Length / 4),
            };
            await WriteJsonAsync(context, completion);
            return;
        }

        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await WriteEventAsync(context, Chunk(id, request.Model, new JsonObject { ["role"] = "assistant", ["content"] = "" }, null));
        for (var i = 0; i < reply.Text.Length; i += reply.ChunkSize)
        {
            var piece = reply.Text.Substring(i, Math.Min(reply.ChunkSize, reply.Text.Length - i));
            await WriteEventAsync(context, Chunk(id, request.Model, new JsonObject { ["content"] = piece }, null));
        }
        await WriteEventAsync(context, Chunk(id, request.Model, new JsonObject(), "stop"));
        await context.Response.WriteAsync("data: [DONE]\n\n");
        await context.Response.Body.FlushAsync();
    }

    private async Task EmbeddingsAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        var input = body["input"] switch
        {
            JsonArray array => array.Select(x => (string?)x ?? "").ToList(),
            JsonValue value => [(string?)value ?? ""],
            _ => new List<string>(),
        };
        var request = new FakeEmbeddingRequest(
            (string?)body["model"] ?? "",
            input,
            (int?)body["dimensions"],
            (string?)body["encoding_format"],
            context.Request.Headers.Authorization.ToString() is { Length: > 0 } auth ? auth : null);
        _embeddingRequests.Enqueue(request);
        if (await RejectAsync(context, request.Authorization, request.Model))
            return;
        if (_embeddingReplies.TryDequeue(out var reply) && reply.Status != 200)
        {
            await WriteErrorAsync(context, reply);
            return;
        }
        var dimensions = FixedEmbeddingDimensions ?? request.Dimensions ?? DefaultEmbeddingDimensions;
        var base64 = request.EncodingFormat == "base64" && !IgnoreEncodingFormat;
        var data = new JsonArray();
        for (var i = 0; i < input.Count; i++)
        {
            var vector = Vector(input[i], dimensions);
            JsonNode embedding = base64
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray(vector.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }
        var tokens = input.Sum(s => Math.Max(1, s.Length / 4));
        await WriteJsonAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = request.Model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        });
    }

    /// <summary>A unit vector that depends only on the text, so equal texts embed equally.</summary>
    public static float[] Vector(string text, int dimensions)
    {
        var seed = 17;
        foreach (var c in text)
            seed = unchecked((seed * 31) + c);
        var random = new Random(seed);
        var vector = new float[dimensions];
        for (var i = 0; i < dimensions; i++)
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        for (var i = 0; i < dimensions; i++)
            vector[i] /= norm;
        return vector;
    }

    private async Task<bool> RejectAsync(HttpContext context, string? authorization, string model)
    {
        if (RequiredApiKey is not null && authorization != $"Bearer {RequiredApiKey}")
        {
            await WriteErrorAsync(context, FakeReply.Error(401, "Incorrect API key provided.", "invalid_api_key"));
            return true;
        }
        if (KnownModels is not null && !KnownModels.Contains(model))
        {
            await WriteErrorAsync(context, FakeReply.Error(404, $"The model `{model}` does not exist or you do not have access to it.", "model_not_found"));
            return true;
        }
        return false;
    }

    private static async Task WaitForeverAsync(CancellationToken aborted)
    {
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (aborted.Register(() => gone.TrySetResult()))
            await gone.Task;
    }

    private static FakeChatMessage ReadMessage(JsonNode? node)
    {
        var role = (string?)node?["role"] ?? "";
        var content = node?["content"] switch
        {
            JsonValue value => (string?)value ?? "",
            JsonArray parts => string.Concat(parts.Select(p => (string?)p?["text"] ?? "")),
            _ => "",
        };
        return new FakeChatMessage(role, content);
    }

    private static async Task<JsonObject> ReadBodyAsync(HttpContext context)
    {
        var node = await JsonNode.ParseAsync(context.Request.Body);
        return node as JsonObject ?? [];
    }

    private static JsonObject Chunk(string id, string model, JsonObject delta, string? finishReason) => new()
    {
        ["id"] = id,
        ["object"] = "chat.completion.chunk",
        ["created"] = 1_700_000_000,
        ["model"] = model,
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finishReason }),
    };

    private static JsonObject Usage(int prompt, int completion) => new()
    {
        ["prompt_tokens"] = prompt,
        ["completion_tokens"] = completion,
        ["total_tokens"] = prompt + completion,
    };

    private static async Task WriteEventAsync(HttpContext context, JsonObject data)
    {
        await context.Response.WriteAsync("data: " + data.ToJsonString() + "\n\n");
        await context.Response.Body.FlushAsync();
    }

    private static async Task WriteErrorAsync(HttpContext context, FakeReply reply)
    {
        context.Response.StatusCode = reply.Status;
        if (reply.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await WriteJsonAsync(context, new JsonObject
        {
            ["error"] = new JsonObject
            {
                ["message"] = reply.ErrorMessage ?? "error",
                ["type"] = reply.Status == 429 ? "requests" : "invalid_request_error",
                ["param"] = null,
                ["code"] = reply.ErrorCode,
            },
        });
    }

    private static async Task WriteJsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()));
    }
}
