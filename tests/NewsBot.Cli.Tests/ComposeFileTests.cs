using System.Reflection;
using NewsBot.Core.Embedding;
using NewsBot.Host.Composition;
using NewsBot.TestSupport;
using YamlDotNet.RepresentationModel;

namespace NewsBot.Cli.Tests;

/// <summary>No Docker engine runs here, so the compose file is checked by reading it.</summary>
public sealed class ComposeFileTests
{
    private static readonly YamlMappingNode Compose = Load();

    private static YamlMappingNode Load()
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(Path.Combine(RepositoryPaths.Root, "docker-compose.yml"));
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) => (YamlMappingNode)((YamlMappingNode)Compose["services"])[name];

    private static IEnumerable<string> Strings(YamlNode node) => ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!);

    [Fact]
    public void Qdrant_is_pinned_with_ports_a_named_volume_and_a_healthcheck()
    {
        var qdrant = Service("qdrant");
        Assert.Matches(@"^qdrant/qdrant:v\d+\.\d+\.\d+$", ((YamlScalarNode)qdrant["image"]).Value);
        Assert.Contains("6333:6333", Strings(qdrant["ports"]));
        Assert.Contains("6334:6334", Strings(qdrant["ports"]));
        var volume = Strings(qdrant["volumes"]).Single().Split(':')[0];
        Assert.True(((YamlMappingNode)Compose["volumes"]).Children.ContainsKey(volume), $"volume {volume} is not declared");
        Assert.True(((YamlMappingNode)qdrant["healthcheck"]).Children.ContainsKey("test"));
    }

    [Fact]
    public void The_bot_and_the_ingest_talk_to_qdrant_over_grpc_on_6334()
    {
        foreach (var name in new[] { "newsbot", "ingest" })
        {
            var environment = (YamlMappingNode)Service(name)["environment"];
            Assert.Equal("http://qdrant:6334", ((YamlScalarNode)environment["NEWSBOT__Qdrant__Url"]).Value);
        }
    }

    [Fact]
    public void The_bot_serves_after_qdrant_is_healthy_and_is_built_from_the_repo()
    {
        var bot = Service("newsbot");
        Assert.Equal(["serve"], Strings(bot["command"]));
        var depends = (YamlMappingNode)((YamlMappingNode)bot["depends_on"])["qdrant"];
        Assert.Equal("service_healthy", ((YamlScalarNode)depends["condition"]).Value);
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, ".env.example")));
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(RepositoryPaths.Root, ".gitignore")));
    }

    [Fact]
    public void The_dockerfile_restores_every_project_the_tool_is_built_from()
    {
        var dockerfile = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Dockerfile"));
        foreach (var project in Directory.GetFiles(Path.Combine(RepositoryPaths.Root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(RepositoryPaths.Root, project).Replace('\\', '/');
            Assert.True(dockerfile.Contains($"COPY {relative} ", StringComparison.Ordinal), $"The Dockerfile does not copy {relative} before its restore, so the image build would fail.");
        }
    }

    [Fact]
    public void Every_NEWSBOT_setting_in_the_compose_file_is_a_key_the_program_reads()
    {
        var known = KnownKeys();
        var services = ((YamlMappingNode)Compose["services"]).Children.Values.Cast<YamlMappingNode>();
        var keys = services
            .Where(s => s.Children.ContainsKey("environment"))
            .SelectMany(s => ((YamlMappingNode)s["environment"]).Children.Keys.Cast<YamlScalarNode>().Select(k => k.Value!))
            .Where(k => k.StartsWith("NEWSBOT__", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            // A list item (Feeds__Urls__0) is a key of the list's property.
            var configKey = System.Text.RegularExpressions.Regex.Replace(key["NEWSBOT__".Length..].Replace("__", ":", StringComparison.Ordinal), @":\d+$", "");
            Assert.True(known.Contains(configKey), $"{key} is not read by the program (known: {string.Join(", ", known.Order())})");
        }
    }

    /// <summary>Section:Property for every options class the host binds.</summary>
    private static HashSet<string> KnownKeys()
    {
        var types = new (string Section, Type Type)[]
        {
            ("Index", typeof(IndexOptions)),
            ("Embedding", typeof(EmbeddingOptions)),
            ("Qdrant", typeof(NewsBot.Qdrant.QdrantOptions)),
            ("Model", typeof(NewsBot.SemanticKernel.ModelOptions)),
            ("Discord", DiscordOptionsType()),
            ("Feeds", typeof(NewsBot.Web.FeedsOptions)),
            ("Feedback", typeof(NewsBot.Host.Composition.FeedbackOptions)),
        };
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (section, type) in types)
        {
            foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
                keys.Add($"{section}:{property.Name}");
        }
        return keys;
    }

    private static Type DiscordOptionsType() =>
        AppDomain.CurrentDomain.GetAssemblies().Append(Assembly.Load("NewsBot.Discord"))
            .Select(a => a.GetType("NewsBot.Discord.DiscordOptions")).First(t => t is not null)!;
}
