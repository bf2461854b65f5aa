using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Bot;

namespace NewsBot.Discord;

/// <summary>
/// Runs the Discord bot until cancelled (Ctrl-C, SIGTERM). <see cref="RunAsync"/> returns 0 after a clean shutdown,
/// 2 when the Discord settings are wrong and 1 when Discord refuses the bot (a bad token, a disallowed intent); in
/// both failure cases <see cref="FailureMessage"/> holds one line saying what to fix, for the caller to show.
/// </summary>
public sealed partial class DiscordBotRunner
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int ConfigurationError = 2;

    private readonly IServiceProvider _services;
    private readonly ILogger _logger;

    public DiscordBotRunner(IServiceProvider services, ILogger<DiscordBotRunner> logger)
    {
        _services = services;
        _logger = logger;
    }

    /// <summary>Why the last run stopped with a non-zero result; null after a clean shutdown.</summary>
    public string? FailureMessage { get; private set; }

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        FailureMessage = null;
        try
        {
            // Validates the Discord section first, so a missing token stops here with a message naming the key.
            _ = _services.GetRequiredService<IOptions<DiscordOptions>>().Value;
        }
        catch (OptionsValidationException ex)
        {
            FailureMessage = string.Join(" ", ex.Failures);
            return ConfigurationError;
        }

        try
        {
            await _services.GetRequiredService<DiscordBot>().RunAsync(cancellationToken);
            return Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopped(_logger);
            return Success;
        }
        catch (DiscordFatalException ex)
        {
            FailureMessage = ex.Message;
            return Failure;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            FailureMessage = $"The Discord bot stopped: {ex.Message}";
            LogCrashed(_logger, ex);
            return Failure;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "The Discord bot stopped")]
    private static partial void LogStopped(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Discord bot stopped")]
    private static partial void LogCrashed(ILogger logger, Exception exception);
}
