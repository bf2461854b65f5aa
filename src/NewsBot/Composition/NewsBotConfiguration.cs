using Microsoft.Extensions.Configuration;

namespace NewsBot.Host.Composition;

/// <summary>
/// Where settings come from, later sources winning: appsettings.json beside the program, appsettings.json in the
/// current folder, user secrets, <c>NEWSBOT__</c> environment variables, then <c>--Section:Key=value</c> arguments.
/// </summary>
internal static class NewsBotConfiguration
{
    public const string EnvironmentPrefix = "NEWSBOT__";

    public static IConfigurationRoot Build(IReadOnlyList<string> overrides, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        var local = Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json");
        if (!string.Equals(Path.GetFullPath(local), Path.Combine(AppContext.BaseDirectory, "appsettings.json"), StringComparison.Ordinal))
            builder.AddJsonFile(local, optional: true, reloadOnChange: false);
        builder.AddUserSecrets(typeof(NewsBotConfiguration).Assembly, optional: true);
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        builder.AddCommandLine(overrides.ToArray());
        if (extra is not null)
            builder.AddInMemoryCollection(extra);
        return builder.Build();
    }

    /// <summary>
    /// Splits <c>--Section:Key=value</c> (or <c>--Section:Key value</c>) settings out of the arguments, leaving the
    /// rest for the command-line parser.
    /// </summary>
    public static (string[] Remaining, List<string> Overrides) ExtractOverrides(string[] args)
    {
        var remaining = new List<string>(args.Length);
        var overrides = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                remaining.AddRange(args[i..]);
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2 && arg.AsSpan(2).IndexOf(':') > 0 && char.IsUpper(arg[2]))
            {
                if (arg.Contains('=', StringComparison.Ordinal))
                {
                    overrides.Add(arg);
                }
                else if (i + 1 < args.Length)
                {
                    overrides.Add(arg + "=" + args[i + 1]);
                    i++;
                }
                else
                {
                    throw new ConfigurationException($"The setting {arg} needs a value: {arg}=<value>.");
                }
                continue;
            }
            remaining.Add(arg);
        }
        return (remaining.ToArray(), overrides);
    }
}
