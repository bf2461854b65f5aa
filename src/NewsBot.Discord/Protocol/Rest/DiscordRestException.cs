using System.Net;

namespace NewsBot.Discord.Protocol.Rest;

/// <summary>Discord refused a REST call. The message names the route template, never a token.</summary>
internal sealed class DiscordRestException : Exception
{
    public DiscordRestException(HttpStatusCode status, int? code, string message) : base(message)
    {
        Status = status;
        Code = code;
    }

    public HttpStatusCode Status { get; }

    /// <summary>Discord's JSON error code (10062 unknown interaction, 50013 missing permissions…), when it sent one.</summary>
    public int? Code { get; }
}
