using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Discord;

namespace NewsBot.Host.Composition;

/// <summary>Wires the Discord bot for <c>newsbot serve</c>. Its settings are checked only when the bot starts, so other verbs never need a token.</summary>
internal static class DiscordComposition
{
    public static void AddDiscord(IServiceCollection services, IConfiguration configuration) =>
        services.AddNewsBotDiscord(configuration);
}
