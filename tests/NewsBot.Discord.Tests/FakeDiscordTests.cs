using System.Net;
using System.Net.Http.Headers;
using System.Text;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

/// <summary>The fake must catch what real Discord rejects, or the other tests prove nothing.</summary>
public sealed class FakeDiscordTests
{
    [Fact]
    public async Task A_body_the_openapi_document_rejects_is_answered_400_and_recorded()
    {
        await using var discord = await FakeDiscordServer.StartAsync();

        var status = await PostAsync(discord, "/channels/1300000000000000002/messages", """{"content": 42, "allowed_mentions": {"parse": []}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(discord.Violations, v => v.Contains("content", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_embed_over_6000_characters_is_answered_400_and_recorded()
    {
        await using var discord = await FakeDiscordServer.StartAsync();
        var field = $$"""{"name": "n", "value": "{{new string('v', 1000)}}"}""";
        var fields = string.Join(", ", field, field, field);
        var body = "{\"embeds\": [{\"description\": \"" + new string('d', 4000) + "\", \"fields\": [" + fields + "]}], \"allowed_mentions\": {\"parse\": []}}";

        var status = await PostAsync(discord, "/channels/1300000000000000002/messages", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(discord.Violations, v => v.Contains("max 6000", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_that_could_ping_is_recorded_as_a_violation()
    {
        await using var discord = await FakeDiscordServer.StartAsync();

        await PostAsync(discord, "/channels/1300000000000000002/messages", """{"content": "hi @everyone"}""");

        Assert.Contains(discord.Violations, v => v.Contains("allowed_mentions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_request_with_the_wrong_token_is_answered_401()
    {
        await using var discord = await FakeDiscordServer.StartAsync();

        var status = await PostAsync(discord, "/channels/1300000000000000002/messages", """{"content": "x", "allowed_mentions": {"parse": []}}""", token: "nope");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private static async Task<HttpStatusCode> PostAsync(FakeDiscordServer discord, string path, string json, string? token = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, discord.ApiBaseUrl + path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bot", token ?? discord.Token);
        request.Headers.TryAddWithoutValidation("User-Agent", "DiscordBot (https://example.com, 1.0)");
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
