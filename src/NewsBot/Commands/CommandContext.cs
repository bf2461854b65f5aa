using System.CommandLine;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Core.Indexing;
using NewsBot.Host.Composition;
using NewsBot.Host.Output;

namespace NewsBot.Host.Commands;

/// <summary>What every verb shares: the global options, configuration and services, and the mapping of failures to exit codes.</summary>
internal sealed class CommandContext
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    /// <summary>Ctrl-C: 128 + SIGINT, as shells report a process ended by it.</summary>
    public const int Cancelled = 130;

    private readonly IReadOnlyList<string> _overrides;
    private readonly Action<IServiceCollection>? _configureServices;

    public CommandContext(IReadOnlyList<string> overrides, ConsoleOutput output, Action<IServiceCollection>? configureServices = null)
    {
        _overrides = overrides;
        _configureServices = configureServices;
        Output = output;
    }

    public static Option<string?> IndexOption { get; } = new("--index")
    {
        Description = "The SQLite index file to use (overrides Index:Path).",
        Recursive = true,
    };

    public ConsoleOutput Output { get; }

    /// <summary>Builds the services for this invocation and runs <paramref name="body"/>, turning failures into one-line messages.</summary>
    public async Task<int> RunAsync(ParseResult parseResult, Func<IServiceProvider, Task<int>> body, CancellationToken cancellationToken, bool withDiscord = false)
    {
        try
        {
            var extra = new Dictionary<string, string?>();
            if (parseResult.GetValue(IndexOption) is { Length: > 0 } index)
                extra["Index:Path"] = index;
            var configuration = NewsBotConfiguration.Build(_overrides, extra);
            await using var services = NewsBotServices.Build(configuration, _configureServices, withDiscord);
            return await body(services);
        }
        catch (ConfigurationException ex)
        {
            Output.Fail(ex.Message);
            return UsageError;
        }
        catch (IndexMismatchException ex)
        {
            Output.Fail(ex.Message);
            return UsageError;
        }
        catch (IndexNotFoundException ex)
        {
            Output.Fail(ex.Message);
            return UsageError;
        }
        catch (UsageException ex)
        {
            Output.Fail(ex.Message);
            return UsageError;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Output.Fail("cancelled (Ctrl-C); nothing was left half-written.");
            return Cancelled;
        }
        catch (IndexUnavailableException ex)
        {
            Output.Fail(ex.Message);
            return Failure;
        }
        catch (Exception ex) when (FailureMessages.Describe(ex) is { } message)
        {
            Output.Fail(message);
            return Failure;
        }
    }

    public static DateTimeOffset? ParseDate(string? text, string option)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date))
            return date;
        throw new UsageException($"{option} '{text}' is not a date; use YYYY-MM-DD.");
    }

    /// <summary>An as-of date covers the whole day it names.</summary>
    public static DateTimeOffset? EndOfDay(DateTimeOffset? date) =>
        date is { } d && d.TimeOfDay == TimeSpan.Zero ? d.AddDays(1).AddTicks(-1) : date;

    /// <param name="warmUp">
    /// Load what searches need now (the embedded index: into memory) (for serve and eval, whose per-question latency should not include
    /// the one-off load).
    /// </param>
    public static async Task EnsureIndexReadyAsync(IServiceProvider services, CancellationToken cancellationToken, bool warmUp = false)
    {
        var index = services.GetRequiredService<IPassageIndex>();
        // Reading verbs open the index read-only: they never create an index, a folder or a file.
        await index.OpenForReadingAsync(services.GetRequiredService<EmbedderDescriptor>(), cancellationToken);
        if (await index.CountPassagesAsync(cancellationToken) == 0)
            throw new UsageException($"The index at {index.Location} has no articles yet. Run: newsbot ingest <path> (for example: newsbot ingest samples/news).");
        if (warmUp)
            await index.WarmUpAsync(cancellationToken);
    }
}
