using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Discord.Bot;
using NewsBot.Discord.Protocol.Gateway;
using NewsBot.Discord.Protocol.Rest;

namespace NewsBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DiscordOptions"/> from the <c>Discord</c> section (validated at start) and registers the bot
    /// and <see cref="DiscordBotRunner"/>. The caller registers <see cref="Core.Answering.NewsAssistant"/>.
    /// </summary>
    public static IServiceCollection AddNewsBotDiscord(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DiscordOptions>()
            .Bind(configuration.GetSection(DiscordOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton(new GatewayTimings());

        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>()));
        services.TryAddSingleton(sp => new GatewayClient(
            sp.GetRequiredService<IOptions<DiscordOptions>>().Value,
            sp.GetRequiredService<GatewayTimings>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<GatewayClient>>()));
        services.TryAddSingleton<BotIdentity>();
        services.TryAddSingleton<AnswerStore>();
        services.TryAddSingleton<Conversations>();
        services.TryAddSingleton<AbuseGuard>();
        services.TryAddSingleton<BotCounters>();
        services.TryAddSingleton<AnswerQueue>();
        services.TryAddSingleton<AnswerRenderer>();
        services.TryAddSingleton<AnswerStreamer>();
        services.TryAddSingleton<InteractionHandler>();
        services.TryAddSingleton<MessageHandler>();
        services.TryAddSingleton<DiscordBot>();
        services.TryAddSingleton<DiscordBotRunner>();
        return services;
    }
}
