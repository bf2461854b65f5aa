using NewsBot.Discord.Protocol.Wire;

namespace NewsBot.Discord.Bot;

/// <summary>The slash commands, registered at start by one bulk overwrite.</summary>
internal static class CommandDefinitions
{
    public const string Ask = "ask";
    public const string Lookup = "lookup";
    public const string Sources = "sources";
    public const string Help = "help";
    public const string Stats = "stats";

    // In servers and in DMs with the bot; installed to servers.
    private static readonly int[] Contexts = [0, 1];
    private static readonly int[] IntegrationTypes = [0];

    public static IReadOnlyList<ApplicationCommand> All(int maxQuestionLength)
    {
        var maxLength = Math.Clamp(maxQuestionLength, 1, 6000);
        return
        [
            Command(Ask, "Ask a question about the news; the answer cites its sources.",
            [
                new CommandOption(CommandOption.StringType, "question", "What you want to know", Required: true, MaxLength: maxLength),
                new CommandOption(CommandOption.BooleanType, "private", "Only you see the answer"),
            ]),
            Command(Lookup, "Find articles: title, source, date, link and the best passage.",
            [
                new CommandOption(CommandOption.StringType, "query", "Words to look for", Required: true, MaxLength: maxLength),
                new CommandOption(CommandOption.StringType, "source", "Only articles from this source", Autocomplete: true, MaxLength: 100),
                new CommandOption(CommandOption.StringType, "from", "Published on or after (YYYY-MM-DD)", MaxLength: 40),
                new CommandOption(CommandOption.StringType, "to", "Published on or before (YYYY-MM-DD)", MaxLength: 40),
            ]),
            Command(Sources, "Post the full sources of the last answer in this channel for everyone.", null),
            Command(Help, "How to use NewsBot.", null),
            Command(Stats, "How many articles and sources NewsBot knows.", null),
        ];
    }

    private static ApplicationCommand Command(string name, string description, IReadOnlyList<CommandOption>? options) =>
        new(name, description, ApplicationCommand.ChatInput, options, Contexts, IntegrationTypes);
}
