using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace NewsBot.Host.Output;

/// <summary>
/// Log lines as a user reads them on standard error: <c>warn: Category: message</c>, one line each. An exception adds
/// its message, never its stack trace, unless debug logging is on (<c>--Logging:LogLevel:Default=Debug</c>): a stack
/// trace is for whoever debugs NewsBot, not for someone asking it a question. The stock simple formatter has no
/// switch for that, which is why this one exists.
/// </summary>
internal sealed class OneLineConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "newsbot";

    private readonly IOptionsMonitor<LoggerFilterOptions> _filters;

    public OneLineConsoleFormatter(IOptionsMonitor<LoggerFilterOptions> filters)
        : base(FormatterName)
    {
        _filters = filters;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter?.Invoke(logEntry.State, logEntry.Exception) ?? "";
        if (message.Length == 0 && logEntry.Exception is null)
            return;
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(": ");
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        textWriter.Write(OneLine(message));
        if (logEntry.Exception is { } exception)
        {
            if (DebugEnabled(logEntry.Category))
            {
                textWriter.Write(' ');
                textWriter.Write(OneLine(exception.ToString()));
            }
            else if (!message.Contains(exception.Message, StringComparison.Ordinal))
            {
                textWriter.Write(" (");
                textWriter.Write(OneLine(exception.Message));
                textWriter.Write(')');
            }
        }
        textWriter.Write(Environment.NewLine);
    }

    private bool DebugEnabled(string category)
    {
        var options = _filters.CurrentValue;
        var level = options.MinLevel;
        var best = -1;
        foreach (var rule in options.Rules)
        {
            if (rule.ProviderName is not (null or "Console") || rule.LogLevel is null)
                continue;
            var name = rule.CategoryName ?? "";
            if (name.Length > best && category.StartsWith(name, StringComparison.Ordinal))
            {
                best = name.Length;
                level = rule.LogLevel.Value;
            }
        }
        return level <= LogLevel.Debug;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "none",
    };
}
