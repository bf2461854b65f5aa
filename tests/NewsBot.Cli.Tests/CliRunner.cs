using System.Diagnostics;
using NewsBot.Host;
using NewsBot.Host.Output;

namespace NewsBot.Cli.Tests;

/// <summary>Runs <c>newsbot</c> in-process (fast, for most tests) or as a real child process (for the end-to-end test).</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string Out, string Error);

    public static async Task<Result> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public static async Task<Result> RunWithInputAsync(string input, params string[] args) => await RunCancellableAsync(input, CancellationToken.None, args);

    /// <summary>Runs with a token that stands for Ctrl-C.</summary>
    public static async Task<Result> RunCancellableAsync(string input, CancellationToken cancellationToken, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = await NewsBotCommandLine.RunAsync(args, new ConsoleOutput(output, error, interactive: false), new StringReader(input), cancellationToken: cancellationToken);
        return new Result(code, output.ToString(), error.ToString());
    }

    /// <summary>Starts the built newsbot.dll with <c>dotnet</c>, as a user would run it.</summary>
    public static async Task<Result> RunProcessAsync(string workingDirectory, params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "newsbot.dll");
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        info.ArgumentList.Add(dll);
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
