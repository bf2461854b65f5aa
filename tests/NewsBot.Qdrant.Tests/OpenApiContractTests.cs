using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenApi;

namespace NewsBot.Qdrant.Tests;

public sealed class OpenApiContractTests
{
    private static readonly OpenApiContract Qdrant = OpenApiContract.Load(RepositoryPaths.SharedFile("specs", "qdrant-openapi.json"));

    private const string SmallSpec30 = """
        {
          "openapi": "3.0.1",
          "paths": {
            "/things/{id}": { "put": { "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Thing" } } } } } },
            "/things/special": { "put": { "requestBody": { "content": { "application/json": { "schema": { "type": "object", "properties": { "special": { "type": "boolean" } }, "required": ["special"] } } } } } },
            "/ping": { "get": { "responses": { "200": { "description": "ok" } } } }
          },
          "components": { "schemas": {
            "Thing": {
              "type": "object",
              "required": ["name", "count"],
              "additionalProperties": false,
              "properties": {
                "name": { "type": "string", "minLength": 2, "maxLength": 5 },
                "count": { "type": "integer", "format": "uint32", "minimum": 1 },
                "ratio": { "type": "number", "maximum": 1, "exclusiveMaximum": true },
                "kind": { "type": "string", "enum": ["a", "b"] },
                "tags": { "type": "array", "items": { "type": "string" }, "minItems": 1, "maxItems": 2, "uniqueItems": true },
                "id": { "anyOf": [ { "type": "integer", "format": "uint64", "minimum": 0 }, { "type": "string", "format": "uuid" } ] },
                "note": { "anyOf": [ { "type": "string" }, { "nullable": true } ] },
                "label": { "type": "string", "nullable": true },
                "when": { "type": "string", "format": "date-time" },
                "extra": { "type": "object", "additionalProperties": { "type": "integer" } },
                "shape": { "oneOf": [ { "type": "integer" }, { "type": "number" } ] },
                "both": { "allOf": [ { "type": "object", "required": ["x"] }, { "type": "object", "required": ["y"] } ] }
              }
            }
          } }
        }
        """;

    private const string SmallSpec31 = """
        {
          "openapi": "3.1.0",
          "servers": [ { "url": "https://example.com/api/v10" } ],
          "paths": {
            "/messages": { "post": { "requestBody": { "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Message" } } } } } }
          },
          "components": { "schemas": {
            "Snowflake": { "type": "string", "pattern": "^(0|[1-9][0-9]*)$" },
            "Message": {
              "type": "object",
              "properties": {
                "content": { "type": ["string", "null"], "maxLength": 10 },
                "channel": { "$ref": "#/components/schemas/Snowflake" },
                "level": { "type": "integer", "exclusiveMinimum": 0, "exclusiveMaximum": 5 },
                "type": { "oneOf": [ { "const": 1 }, { "const": 2 } ] },
                "flag": { "const": true }
              }
            }
          } }
        }
        """;

    private static readonly OpenApiContract Small30 = OpenApiContract.Parse(SmallSpec30);
    private static readonly OpenApiContract Small31 = OpenApiContract.Parse(SmallSpec31);

    [Fact]
    public void Unknown_operation_gives_null()
    {
        Assert.Null(Small30.ValidateRequest("POST", "/things/1", "{}"));
        Assert.Null(Small30.ValidateRequest("PUT", "/nothing", "{}"));
        Assert.Null(Qdrant.ValidateRequest("POST", "/collections/news/points/search", """{"vector":[1],"limit":1}"""));
    }

    [Fact]
    public void Templated_paths_match_and_literal_segments_win()
    {
        Assert.Equal("PUT /things/{id}", Small30.FindOperation("PUT", "/things/42?wait=true"));
        Assert.Equal("PUT /things/special", Small30.FindOperation("put", "/things/special"));
        Assert.Equal("POST /collections/{collection_name}/points/query", Qdrant.FindOperation("POST", "http://127.0.0.1:6333/collections/news/points/query"));
        Assert.Equal("PUT /collections/{collection_name}/index", Qdrant.FindOperation("PUT", "/collections/news/index?wait=true"));
    }

    [Fact]
    public void Valid_body_has_no_violations()
    {
        var violations = Small30.ValidateRequest("PUT", "/things/1", """
            {"name":"abc","count":3,"ratio":0.5,"kind":"a","tags":["x","y"],"id":"550e8400-e29b-41d4-a716-446655440000",
             "note":null,"label":null,"when":"2024-05-01T10:00:00+02:00","extra":{"a":1},"shape":2.5,"both":{"x":1,"y":2}}
            """);
        Assert.NotNull(violations);
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("""{"count":1}""", "required property 'name'")]
    [InlineData("""{"name":"abc","count":1,"colour":"red"}""", "property 'colour' is not allowed")]
    [InlineData("""{"name":"a","count":1}""", "at least 2 required")]
    [InlineData("""{"name":"abcdef","count":1}""", "at most 5 allowed")]
    [InlineData("""{"name":"abc","count":0}""", "less than the minimum 1")]
    [InlineData("""{"name":"abc","count":1.5}""", "/count: expected integer")]
    [InlineData("""{"name":"abc","count":4294967296}""", "out of range for uint32")]
    [InlineData("""{"name":"abc","count":1,"ratio":1}""", "greater than the maximum 1 (exclusive)")]
    [InlineData("""{"name":"abc","count":1,"kind":"c"}""", "is not one of")]
    [InlineData("""{"name":"abc","count":1,"tags":[]}""", "at least 1 required")]
    [InlineData("""{"name":"abc","count":1,"tags":["x","x"]}""", "must be unique")]
    [InlineData("""{"name":"abc","count":1,"id":"article-1"}""", "matches none of the 2 alternatives of anyOf")]
    [InlineData("""{"name":"abc","count":1,"id":-1}""", "matches none of the 2 alternatives of anyOf")]
    [InlineData("""{"name":"abc","count":1,"note":5}""", "/note: matches none")]
    [InlineData("""{"name":"abc","count":1,"label":5}""", "/label: expected string")]
    [InlineData("""{"name":"abc","count":1,"when":"yesterday"}""", "not an RFC 3339 date-time")]
    [InlineData("""{"name":"abc","count":1,"extra":{"a":"x"}}""", "/extra/a: expected integer")]
    [InlineData("""{"name":"abc","count":1,"shape":2}""", "matches 2 alternatives of oneOf")]
    [InlineData("""{"name":"abc","count":1,"both":{"x":1}}""", "required property 'y'")]
    [InlineData("""[1,2]""", "(body): expected object")]
    [InlineData("""{"name":""", "not valid JSON")]
    public void Invalid_body_is_reported(string body, string expected)
    {
        var violations = Small30.ValidateRequest("PUT", "/things/1", body);
        Assert.NotNull(violations);
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Required_body_must_be_present()
    {
        Assert.Contains("requires a request body", Assert.Single(Small30.ValidateRequest("PUT", "/things/1", null)!), StringComparison.Ordinal);
        Assert.Empty(Small30.ValidateRequest("PUT", "/things/special", "")!);
        Assert.Contains("takes no request body", Assert.Single(Small30.ValidateRequest("GET", "/ping", "{}")!), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenApi31_type_arrays_const_exclusive_numbers_patterns_and_server_base_path()
    {
        Assert.Empty(Small31.ValidateRequest("POST", "/api/v10/messages", """{"content":null,"channel":"123","level":4,"type":2,"flag":true}""")!);
        var violations = Small31.ValidateRequest("POST", "/api/v10/messages", """{"content":5,"channel":"012","level":5,"type":3,"flag":false}""")!;
        Assert.Contains(violations, v => v.StartsWith("/content: expected string or null", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("/channel:", StringComparison.Ordinal) && v.Contains("pattern", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("/level: 5 must be less than 5", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("/type: matches none", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("/flag: expected true", StringComparison.Ordinal));
    }

    [Fact]
    public void Qdrant_hybrid_query_body_is_valid()
    {
        const string body = """
            { "prefetch": [ { "query": [0.1, 0.2], "using": "dense", "limit": 20,
                              "filter": { "must": [ { "key": "source_key", "match": { "any": ["reuters"] } },
                                                    { "should": [ { "key": "published", "range": { "lte": "2024-05-01T00:00:00Z" } },
                                                                  { "is_empty": { "key": "published" } } ] } ] } },
                            { "query": { "indices": [17, 42], "values": [1.0, 1.0] }, "using": "lexical", "limit": 20 } ],
              "query": { "fusion": "rrf" }, "limit": 40, "with_payload": true, "with_vector": ["dense"] }
            """;
        Assert.Empty(Qdrant.ValidateRequest("POST", "/collections/news/points/query", body)!);
    }

    [Theory]
    [InlineData("""{"query":{"fusion":"rrf"},"limit":0}""", "/limit: 0 is less than the minimum 1")]
    [InlineData("""{"query":{"fusion":"average"}}""", "/query: matches none")]
    [InlineData("""{"filter":{"must":[{"key":"a","match":{"value":"x"}}],"mustnot":[]}}""", "property 'mustnot' is not allowed")]
    [InlineData("""{"prefetch":[{"query":{"indices":[-1],"values":[1]},"using":"lexical"}],"query":{"fusion":"rrf"}}""", "/prefetch")]
    [InlineData("""{"with_payload":"yes"}""", "/with_payload: matches none")]
    public void Qdrant_query_mistakes_are_reported(string body, string expected)
    {
        var violations = Qdrant.ValidateRequest("POST", "/collections/news/points/query", body)!;
        Assert.Contains(violations, v => v.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Qdrant_point_ids_must_be_unsigned_integers_or_uuids()
    {
        const string template = """{"points":[{"id":ID,"vector":{"dense":[0.5,0.5]},"payload":{"article_id":"a"}}]}""";
        Assert.Empty(Qdrant.ValidateRequest("PUT", "/collections/news/points?wait=true", template.Replace("ID", "7", StringComparison.Ordinal))!);
        Assert.Empty(Qdrant.ValidateRequest("PUT", "/collections/news/points", template.Replace("ID", "\"5d0c3a5e-7a3b-4c9e-9a47-0f6e2b8d1c21\"", StringComparison.Ordinal))!);
        var violations = Qdrant.ValidateRequest("PUT", "/collections/news/points", template.Replace("ID", "\"article-1#0\"", StringComparison.Ordinal))!;
        Assert.Contains(violations, v => v.Contains("/points/0", StringComparison.Ordinal));
    }

    [Fact]
    public void Qdrant_create_collection_and_index_bodies()
    {
        Assert.Empty(Qdrant.ValidateRequest("PUT", "/collections/news", """
            {"vectors":{"dense":{"size":384,"distance":"Cosine","on_disk":true}},"sparse_vectors":{"lexical":{"modifier":"idf"}},
             "shard_number":2,"replication_factor":2,"write_consistency_factor":1,"on_disk_payload":true,"metadata":{"newsbot":{"embedder":"x"}}}
            """)!);
        Assert.Contains(Qdrant.ValidateRequest("PUT", "/collections/news", """{"vectors":{"dense":{"size":384,"distance":"cosine"}}}""")!,
            v => v.Contains("/vectors", StringComparison.Ordinal));
        Assert.Contains(Qdrant.ValidateRequest("PUT", "/collections/news", """{"shard_number":0}""")!,
            v => v.Contains("/shard_number", StringComparison.Ordinal));
        Assert.Empty(Qdrant.ValidateRequest("PUT", "/collections/news/index", """{"field_name":"published","field_schema":"datetime"}""")!);
        Assert.NotEmpty(Qdrant.ValidateRequest("PUT", "/collections/news/index", """{"field_name":"published","field_schema":"date"}""")!);
    }

    [Fact]
    public void Responses_are_checked_against_the_documented_status()
    {
        Assert.Empty(Qdrant.ValidateResponse("GET", "/collections/news/exists", 200, """{"result":{"exists":true},"status":"ok","time":0.1}""")!);
        Assert.NotEmpty(Qdrant.ValidateResponse("GET", "/collections/news/exists", 200, """{"result":{"exists":"yes"},"status":"ok","time":0.1}""")!);
        Assert.Empty(Qdrant.ValidateResponse("GET", "/collections/news", 404, """{"status":{"error":"Not found"},"time":0.0}""")!);
    }

    [Fact]
    public void Named_schemas_can_be_checked_directly()
    {
        Assert.Empty(Qdrant.ValidateSchema("Filter", """{"must_not":[{"has_id":["5d0c3a5e-7a3b-4c9e-9a47-0f6e2b8d1c21"]}]}"""));
        Assert.NotEmpty(Qdrant.ValidateSchema("#/components/schemas/Filter", """{"must":[{"has_id":["x"]}]}"""));
    }

    [Fact]
    public void Discord_spec_loads_and_checks_a_message_body()
    {
        var discord = OpenApiContract.Load(RepositoryPaths.SharedFile("specs", "discord-openapi.json"));
        Assert.Equal("POST /channels/{channel_id}/messages", discord.FindOperation("POST", "/api/v10/channels/123/messages"));
        Assert.Empty(discord.ValidateRequest("POST", "/api/v10/channels/123/messages", """{"content":"hello","allowed_mentions":{"parse":[]}}""")!);
        Assert.NotEmpty(discord.ValidateRequest("POST", "/channels/123/messages", """{"content":"hello","embeds":{"title":"x"}}""")!);
    }
}
