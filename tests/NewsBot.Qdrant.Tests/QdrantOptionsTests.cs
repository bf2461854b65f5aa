using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace NewsBot.Qdrant.Tests;

public sealed class QdrantOptionsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        var options = new QdrantOptions();
        Assert.Empty(options.Validate());
        Assert.Equal("http://localhost:6334", options.Url);
        Assert.Equal("newsbot", options.Collection);
        Assert.Null(options.ShardNumber);
        Assert.Null(options.OnDisk);
        Assert.Null(options.Memory);
        Assert.Equal(30, options.TimeoutSeconds);
        Assert.Equal(256, options.BatchSize);
        Assert.Equal(5, options.MaxRetries);
    }

    [Theory]
    [InlineData("localhost:6334", "Qdrant:Url must be the gRPC address as an absolute http(s) URL")]
    [InlineData("ftp://qdrant:6334", "Qdrant:Url must be the gRPC address as an absolute http(s) URL")]
    [InlineData("http://qdrant:6334/?x=1", "Qdrant:Url must be just scheme, host and port")]
    [InlineData("http://qdrant:6334/collections", "Qdrant:Url must be just scheme, host and port")]
    public void Bad_url_names_the_key(string url, string expected) =>
        Assert.Contains(new QdrantOptions { Url = url }.Validate(), p => p.StartsWith(expected, StringComparison.Ordinal));

    [Fact]
    public void Every_problem_names_its_key()
    {
        var problems = new QdrantOptions
        {
            Collection = "a/b",
            ShardNumber = 0,
            ReplicationFactor = 2,
            WriteConsistencyFactor = 3,
            TimeoutSeconds = 0,
            BatchSize = 0,
            MaxRetries = -1,
            Memory = "Warm",
        }.Validate();
        foreach (var key in new[] { "Qdrant:Collection", "Qdrant:ShardNumber", "Qdrant:WriteConsistencyFactor", "Qdrant:TimeoutSeconds", "Qdrant:BatchSize", "Qdrant:MaxRetries", "Qdrant:Memory" })
            Assert.Contains(problems, p => p.StartsWith(key, StringComparison.Ordinal));
    }

    [Fact]
    public void Write_consistency_cannot_exceed_the_default_replication()
    {
        var problem = Assert.Single(new QdrantOptions { WriteConsistencyFactor = 2 }.Validate());
        Assert.Contains("Qdrant:ReplicationFactor (unset, so 1)", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_deprecated_on_disk_flag_is_refused_with_its_replacement()
    {
        var problem = Assert.Single(new QdrantOptions { OnDisk = true }.Validate());
        Assert.Contains("Qdrant:Memory=Cold", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Cold")]
    [InlineData("cached")]
    [InlineData("Pinned")]
    public void Every_memory_placement_is_accepted_whatever_its_case(string memory) =>
        Assert.Empty(new QdrantOptions { Memory = memory }.Validate());

    [Fact]
    public void Validator_reports_failures_for_the_options_pattern()
    {
        var result = new QdrantOptionsValidator().Validate(null, new QdrantOptions { Url = "nope" });
        Assert.True(result.Failed);
        Assert.Contains("Qdrant:Url", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Index_refuses_invalid_options()
    {
        var e = Assert.Throws<ArgumentException>(() => new QdrantPassageIndex(new QdrantOptions { BatchSize = 0 }));
        Assert.Contains("Qdrant:BatchSize", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_bind_from_the_qdrant_section_and_empty_values_mean_unset()
    {
        // What docker compose passes when an optional variable is not set in .env.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Qdrant:Url"] = "http://qdrant:6334",
            ["Qdrant:ApiKey"] = "",
            ["Qdrant:Collection"] = "articles",
            ["Qdrant:ShardNumber"] = "",
            ["Qdrant:ReplicationFactor"] = "3",
            ["Qdrant:WriteConsistencyFactor"] = "2",
            ["Qdrant:Memory"] = "Cold",
        }).Build();
        using var services = new ServiceCollection().AddNewsBotQdrant(configuration).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<QdrantOptions>>().Value;

        Assert.Equal("http://qdrant:6334", options.Url);
        Assert.Equal("articles", options.Collection);
        Assert.Null(options.ShardNumber);
        Assert.Equal(3, options.ReplicationFactor);
        Assert.Equal(2, options.WriteConsistencyFactor);
        Assert.Equal("Cold", options.Memory);
        Assert.Equal("http://qdrant:6334 (collection articles)", services.GetRequiredService<NewsBot.Core.Indexing.IPassageIndex>().Location);
    }

    [Fact]
    public void Invalid_settings_fail_with_the_key_to_fix()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Qdrant:Url"] = "qdrant:6334" }).Build();
        using var services = new ServiceCollection().AddNewsBotQdrant(configuration).BuildServiceProvider();

        var e = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<QdrantOptions>>().Value);
        Assert.Contains("Qdrant:Url must be the gRPC address", e.Message, StringComparison.Ordinal);
    }
}
