using NewsBot.Host;
using NewsBot.Host.Output;

return await NewsBotCommandLine.RunAsync(args, ConsoleOutput.ForProcess(), Console.In);
