using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using NewsBot.TestSupport.Qdrant;

namespace NewsBot.Qdrant.Tests;

/// <summary>The fake follows Qdrant's documented behaviour; these tests pin the parts the client relies on.</summary>
public sealed class FakeQdrantServerTests
{
    private const string Schema = """
        {"vectors":{"dense":{"size":2,"distance":"Cosine"}},"sparse_vectors":{"lexical":{"modifier":"idf"}}}
        """;

    [Fact]
    public async Task Missing_collection_is_404_with_qdrant_error_envelope()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        var (status, json, _) = await SendAsync(http, HttpMethod.Get, "/collections/none");
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("Not found: Collection `none` doesn't exist!", json!["status"]!["error"]!.GetValue<string>());
        Assert.Null(json["result"]);
        Assert.Empty(server.ResponseViolations);
    }

    [Fact]
    public async Task Creating_an_existing_collection_is_409()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Put, "/collections/news", Schema)).Status);
        var (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("already exists", json!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Point_ids_must_be_unsigned_integers_or_uuids()
    {
        await using var server = await FakeQdrantServer.StartAsync(new FakeQdrantServerOptions { ValidateRequests = false });
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        foreach (var good in new[] { "7", "\"5d0c3a5e-7a3b-4c9e-9a47-0f6e2b8d1c21\"", "\"5d0c3a5e7a3b4c9e9a470f6e2b8d1c21\"" })
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", Upsert(good))).Status);
        foreach (var bad in new[] { "\"article-1#0\"", "-1", "1.5" })
        {
            var (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", Upsert(bad));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("is not a valid point ID, valid values are either an unsigned integer or a UUID", json!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Requests_outside_the_openapi_document_are_recorded_and_refused()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        var (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", Upsert("\"article-1#0\""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Format error in JSON body: ", json!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(http, HttpMethod.Post, "/collections/news/points/search", """{"vector":[1,0],"limit":1}""")).Status);

        Assert.Collection(
            server.SpecViolations,
            v => Assert.Contains("/points/0/id", v, StringComparison.Ordinal),
            v => Assert.Contains("no such operation", v, StringComparison.Ordinal));
        Assert.Throws<Xunit.Sdk.XunitException>(server.AssertRequestsMatchSpec);
    }

    [Fact]
    public async Task Malformed_json_is_a_400_format_error()
    {
        await using var server = await FakeQdrantServer.StartAsync(new FakeQdrantServerOptions { ValidateRequests = false });
        using var http = Client(server);
        var (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news", "{\"vectors\":");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Format error in JSON body:", json!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_dimension_and_unknown_vector_name_are_refused()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        var (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", """{"points":[{"id":1,"vector":{"dense":[1,0,0]}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Wrong input: Vector dimension error: expected dim: 2, got 3", json!["status"]!["error"]!.GetValue<string>());
        (status, json, _) = await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", """{"points":[{"id":1,"vector":{"image":[1,0]}}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Wrong input: Not existing vector name error: image", json!["status"]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Api_key_is_required_when_configured_and_401_is_plain_text()
    {
        await using var server = await FakeQdrantServer.StartAsync(new FakeQdrantServerOptions { ApiKey = "s3cret" });
        using var http = Client(server);
        var (status, _, text) = await SendAsync(http, HttpMethod.Get, "/collections");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Must provide an API key or an Authorization bearer token", text);

        http.DefaultRequestHeaders.Add("api-key", "wrong");
        (status, _, text) = await SendAsync(http, HttpMethod.Get, "/collections");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("Invalid API key or JWT", text);

        http.DefaultRequestHeaders.Remove("api-key");
        http.DefaultRequestHeaders.Add("api-key", "s3cret");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/collections")).Status);
    }

    [Fact]
    public async Task Filter_grammar_matches_qdrant_semantics()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        await SendAsync(http, HttpMethod.Put, "/collections/news/index", """{"field_name":"source","field_schema":"keyword"}""");
        await SendAsync(http, HttpMethod.Put, "/collections/news/index", """{"field_name":"published","field_schema":"datetime"}""");
        await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", """
            {"points":[
              {"id":1,"vector":{"dense":[1,0]},"payload":{"source":"reuters","published":"2024-05-01T10:00:00Z"}},
              {"id":2,"vector":{"dense":[0,1]},"payload":{"source":"bbc","published":"2024-05-03T12:00:00+02:00"}},
              {"id":3,"vector":{"dense":[1,1]},"payload":{"source":["ap","reuters"],"published":null}},
              {"id":4,"vector":{"dense":[1,1]},"payload":{"source":"ap"}}
            ]}
            """);

        async Task<int> CountAsync(string filter)
        {
            var (status, json, text) = await SendAsync(http, HttpMethod.Post, "/collections/news/points/count", $$"""{"filter":{{filter}},"exact":true}""");
            Assert.True(status == HttpStatusCode.OK, text);
            return json!["result"]!["count"]!.GetValue<int>();
        }

        Assert.Equal(2, await CountAsync("""{"must":[{"key":"source","match":{"value":"reuters"}}]}"""));
        Assert.Equal(3, await CountAsync("""{"must":[{"key":"source","match":{"any":["bbc","ap"]}}]}"""));
        Assert.Equal(2, await CountAsync("""{"must_not":[{"key":"source","match":{"value":"reuters"}}]}"""));
        Assert.Equal(1, await CountAsync("""{"must":[{"key":"published","range":{"gte":"2024-05-02T00:00:00Z","lte":"2024-05-04T00:00:00Z"}}]}"""));
        // 12:00+02:00 is 10:00Z: ranges compare instants.
        Assert.Equal(1, await CountAsync("""{"must":[{"key":"published","range":{"lt":"2024-05-03T10:00:00Z"}}]}"""));
        Assert.Equal(2, await CountAsync("""{"must":[{"key":"published","range":{"lte":"2024-05-03T10:00:00Z"}}]}"""));
        Assert.Equal(2, await CountAsync("""{"must":[{"is_empty":{"key":"published"}}]}"""));
        Assert.Equal(1, await CountAsync("""{"must":[{"is_null":{"key":"published"}}]}"""));
        Assert.Equal(3, await CountAsync("""{"should":[{"key":"published","range":{"lte":"2024-05-02T00:00:00Z"}},{"is_empty":{"key":"published"}}]}"""));
        Assert.Equal(1, await CountAsync("""{"must":[{"key":"source","match":{"value":"ap"}}],"must_not":[{"has_id":[4]}]}"""));
    }

    [Fact]
    public async Task Filters_on_unindexed_keys_are_refused_like_strict_mode()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        var (status, json, _) = await SendAsync(http, HttpMethod.Post, "/collections/news/points/count", """{"filter":{"must":[{"key":"source","match":{"value":"x"}}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("Index required but not found for \"source\"", json!["status"]!["error"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sparse_search_applies_idf_and_rrf_fuses_with_k_2()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        // Term 7 is in all three points, term 9 only in point 3.
        await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", """
            {"points":[
              {"id":1,"vector":{"dense":[1,0],"lexical":{"indices":[7],"values":[2.0]}}},
              {"id":2,"vector":{"dense":[0.8,0.6],"lexical":{"indices":[7],"values":[1.0]}}},
              {"id":3,"vector":{"dense":[0,1],"lexical":{"indices":[7,9],"values":[1.0,1.0]}}}
            ]}
            """);

        var (_, sparse, _) = await SendAsync(http, HttpMethod.Post, "/collections/news/points/query",
            """{"query":{"indices":[7,9],"values":[1,1]},"using":"lexical","limit":10}""");
        var idf7 = Math.Log(((3 - 3 + 0.5) / (3 + 0.5)) + 1);
        var idf9 = Math.Log(((3 - 1 + 0.5) / (1 + 0.5)) + 1);
        var points = sparse!["result"]!["points"]!.AsArray();
        Assert.Equal([3, 1, 2], points.Select(p => p!["id"]!.GetValue<int>()));
        Assert.Equal(idf7 + idf9, points[0]!["score"]!.GetValue<double>(), 6);
        Assert.Equal(2 * idf7, points[1]!["score"]!.GetValue<double>(), 6);

        var (_, fused, _) = await SendAsync(http, HttpMethod.Post, "/collections/news/points/query", """
            {"prefetch":[{"query":[1,0],"using":"dense","limit":3},{"query":{"indices":[9],"values":[1]},"using":"lexical","limit":3}],
             "query":{"fusion":"rrf"},"limit":10}
            """);
        var scores = fused!["result"]!["points"]!.AsArray().ToDictionary(p => p!["id"]!.GetValue<int>(), p => p!["score"]!.GetValue<double>());
        // Dense order 1, 2, 3; lexical only 3: score = 1/(rank0 + 2).
        Assert.Equal(1.0 / 2, scores[1], 9);
        Assert.Equal(1.0 / 3, scores[2], 9);
        Assert.Equal((1.0 / 4) + (1.0 / 2), scores[3], 9);
    }

    [Fact]
    public async Task Scroll_pages_in_id_order_with_next_page_offset()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        var points = string.Join(",", Enumerable.Range(1, 5).Select(i => $$$"""{"id":{{{6 - i}}},"vector":{"dense":[1,0]},"payload":{"n":{{{6 - i}}}}}"""));
        await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", $$"""{"points":[{{points}}]}""");

        var seen = new List<int>();
        JsonNode? offset = null;
        do
        {
            var body = new JsonObject { ["limit"] = 2, ["with_payload"] = new JsonArray("n") };
            if (offset is not null)
                body["offset"] = offset.DeepClone();
            var (_, json, _) = await SendAsync(http, HttpMethod.Post, "/collections/news/points/scroll", body.ToJsonString());
            seen.AddRange(json!["result"]!["points"]!.AsArray().Select(p => p!["payload"]!["n"]!.GetValue<int>()));
            offset = json["result"]!["next_page_offset"];
        }
        while (offset is not null);
        Assert.Equal([1, 2, 3, 4, 5], seen);
    }

    [Fact]
    public async Task Facet_counts_keyword_values()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        await SendAsync(http, HttpMethod.Put, "/collections/news", Schema);
        await SendAsync(http, HttpMethod.Put, "/collections/news/index", """{"field_name":"source","field_schema":"keyword"}""");
        await SendAsync(http, HttpMethod.Put, "/collections/news/points?wait=true", """
            {"points":[{"id":1,"vector":{},"payload":{"source":"bbc"}},{"id":2,"vector":{},"payload":{"source":"ap"}},{"id":3,"vector":{},"payload":{"source":"bbc"}}]}
            """);
        var (_, json, _) = await SendAsync(http, HttpMethod.Post, "/collections/news/facet", """{"key":"source","limit":10}""");
        var hits = json!["result"]!["hits"]!.AsArray();
        Assert.Equal(["bbc:2", "ap:1"], hits.Select(h => $"{h!["value"]}:{h["count"]}"));
    }

    [Fact]
    public async Task Injected_faults_fail_drop_and_stay_down()
    {
        await using var server = await FakeQdrantServer.StartAsync();
        using var http = Client(server);
        server.FailNext(1, 503, retryAfter: TimeSpan.FromSeconds(2));
        using (var response = await http.GetAsync(new Uri("/collections", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
        }
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/collections")).Status);

        server.DropNext(1);
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri("/collections", UriKind.Relative)));

        server.GoDown();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(http, HttpMethod.Get, "/collections")).Status);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(http, HttpMethod.Get, "/collections")).Status);
        server.Recover();
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(http, HttpMethod.Get, "/collections")).Status);

        Assert.Equal([503, 200, 0, 503, 503, 200], server.Requests.Select(r => r.StatusCode));
    }

    private static HttpClient Client(FakeQdrantServer server) => new() { BaseAddress = new Uri(server.Url) };

    private static string Upsert(string id) => $$$"""{"points":[{"id":{{{id}}},"vector":{"dense":[0.6,0.8]},"payload":{"article_id":"a"}}]}""";

    private static async Task<(HttpStatusCode Status, JsonNode? Json, string Text)> SendAsync(HttpClient http, HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        if (response.Content.Headers.ContentType?.MediaType == "application/json" && text.Length > 0)
            json = JsonNode.Parse(text);
        return (response.StatusCode, json, text);
    }
}
