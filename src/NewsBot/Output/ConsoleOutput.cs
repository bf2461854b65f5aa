using Spectre.Console;

namespace NewsBot.Host.Output;

/// <summary>
/// Where a command writes. Progress bars, colours and tables only when a person watches (standard out is a
/// terminal); plain lines otherwise, so pipes, files and tests get stable text.
/// </summary>
internal sealed class ConsoleOutput
{
    public ConsoleOutput(TextWriter output, TextWriter error, bool interactive)
    {
        Out = output;
        Error = error;
        Interactive = interactive;
    }

    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public bool Interactive { get; }

    public static ConsoleOutput ForProcess() =>
        new(Console.Out, Console.Error, !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null && Environment.GetEnvironmentVariable("CI") is null);

    public IAnsiConsole Ansi { get; } = AnsiConsole.Console;

    public void Line(string text = "") => Out.WriteLine(text);

    /// <summary>Something the user should know that is not the command's output: to standard error, so --json stays clean.</summary>
    public void Note(string message) => Error.WriteLine("note: " + message);

    public void Fail(string message) => Error.WriteLine("error: " + message);
}
