using NewsBot.Host;
using NewsBot.Host.Output;

// Ctrl-C cancels the running verb, which then reports what it finished and exits 130; a second Ctrl-C ends the
// process at once. (System.CommandLine's own handling would end it after two seconds without that report.)
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (cancel.IsCancellationRequested)
        return;
    e.Cancel = true;
    cancel.Cancel();
};
return await NewsBotCommandLine.RunAsync(args, ConsoleOutput.ForProcess(), Console.In, cancellationToken: cancel.Token);
