using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Tests.Support;
using NewsBot.TestSupport.Discord;

namespace NewsBot.Discord.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task A_missing_token_stops_the_runner_with_a_message_naming_the_key()
    {
        var (code, message) = await RunWithAsync(new Dictionary<string, string?>());

        Assert.Equal(2, code);
        Assert.Equal("Discord:Token is missing; set it in appsettings.json, NEWSBOT__Discord__Token or user secrets.", message);
    }

    [Fact]
    public async Task A_malformed_token_stops_the_runner_without_echoing_the_token()
    {
        var (code, message) = await RunWithAsync(new Dictionary<string, string?> { ["Discord:Token"] = "not-a-token-s3cr3t" });

        Assert.Equal(2, code);
        Assert.StartsWith("Discord:Token is malformed", message);
        Assert.Contains("NEWSBOT__Discord__Token", message);
        Assert.DoesNotContain("s3cr3t", message);
    }

    [Fact]
    public void A_pasted_bot_prefix_is_accepted()
    {
        var result = Validate(new DiscordOptions { Token = "Bot " + FakeDiscordServer.ValidToken });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("ApiBaseUrl", "discord.com/api", "Discord:ApiBaseUrl")]
    [InlineData("GatewayUrl", "https://gateway.discord.gg", "Discord:GatewayUrl")]
    [InlineData("GuildId", "my server", "Discord:GuildId")]
    [InlineData("CitationsChannelId", "#sources", "Discord:CitationsChannelId")]
    [InlineData("UserCooldownSeconds", "-1", "Discord:UserCooldownSeconds")]
    [InlineData("MaxConcurrentAnswersPerGuild", "0", "Discord:MaxConcurrentAnswersPerGuild")]
    [InlineData("MaxQuestionLength", "100000", "Discord:MaxQuestionLength")]
    public void Bad_settings_are_reported_by_key(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = FakeDiscordServer.ValidToken,
            ["Discord:" + key] = value,
        }).Build();
        using var services = new ServiceCollection().AddNewsBotDiscord(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<DiscordOptions>>().Value);

        Assert.Contains(error.Failures, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_match_the_documentation()
    {
        var options = new DiscordOptions();

        Assert.Equal("https://discord.com/api/v10", options.ApiBaseUrl);
        Assert.Equal(10, options.UserCooldownSeconds);
        Assert.Equal(3, options.MaxConcurrentAnswersPerGuild);
        Assert.Equal(500, options.MaxQuestionLength);
        Assert.False(options.MessageContent);
    }

    private static ValidateOptionsResult Validate(DiscordOptions options) => new DiscordOptionsValidator().Validate(null, options);

    private static async Task<(int Code, string? Message)> RunWithAsync(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var (assistant, _) = await SampleNews.CreateAsync();
        await using var services = new ServiceCollection().AddSingleton(assistant).AddNewsBotDiscord(configuration).BuildServiceProvider();
        var runner = services.GetRequiredService<DiscordBotRunner>();
        var code = await runner.RunAsync(CancellationToken.None);
        return (code, runner.FailureMessage);
    }
}
