using NewsBot.TestSupport;
using NewsBot.TestSupport.OpenApi;

namespace NewsBot.Discord.Tests;

/// <summary>The contract the fake Discord checks requests against, through JsonSchema.Net.</summary>
public sealed class OpenApiContractTests
{
    private static readonly OpenApiContract Discord = OpenApiContract.Load(RepositoryPaths.SharedFile("specs", "discord-openapi.json"));

    [Fact]
    public void A_body_the_spec_allows_has_no_violations()
    {
        var violations = Discord.ValidateRequest("POST", "/api/v10/interactions/1200000000000000012/token/callback", "{\"type\":5,\"data\":{\"flags\":64}}");

        Assert.NotNull(violations);
        Assert.Empty(violations);
    }

    [Fact]
    public void A_body_the_spec_does_not_allow_is_reported_with_where_and_why()
    {
        var violations = Discord.ValidateRequest("POST", "/api/v10/interactions/1200000000000000012/token/callback", "{\"type\":\"five\"}");

        Assert.NotNull(violations);
        Assert.Contains(violations, v => v.StartsWith("/type:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_path_the_spec_does_not_have_is_not_an_operation()
    {
        Assert.Null(Discord.ValidateRequest("POST", "/api/v10/no/such/route", "{}"));
    }

    [Fact]
    public void OpenApi_3_0_nullable_means_the_value_or_null()
    {
        var contract = OpenApiContract.Parse("""
            {"openapi":"3.0.1","paths":{},"components":{"schemas":{
              "Named":{"type":"object","properties":{"name":{"type":"string","nullable":true}},"required":["name"]},
              "OnlyNull":{"nullable":true}}}}
            """);

        Assert.Empty(contract.ValidateSchema("Named", "{\"name\":null}"));
        Assert.Empty(contract.ValidateSchema("Named", "{\"name\":\"x\"}"));
        Assert.NotEmpty(contract.ValidateSchema("Named", "{\"name\":3}"));
        Assert.NotEmpty(contract.ValidateSchema("OnlyNull", "{\"anything\":1}"));
    }
}
