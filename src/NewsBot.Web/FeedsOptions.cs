using System.ComponentModel.DataAnnotations;

namespace NewsBot.Web;

/// <summary>Settings of the <c>Feeds</c> section: the feeds <c>serve</c> polls and how politely pages are fetched.</summary>
public sealed class FeedsOptions : IValidatableObject
{
    public const string SectionName = "Feeds";

    public const string DefaultContact = "https://github.com/newsbot/newsbot";

    /// <summary>RSS or Atom feed URLs (Feeds:Urls) polled by <c>serve</c> and by <c>ingest --feeds</c>.</summary>
    public List<string> Urls { get; set; } = [];

    /// <summary>The configured feeds without blank entries (an unset <c>${FEED_URL_2:-}</c> in compose is blank), trimmed.</summary>
    public IReadOnlyList<string> FeedUrls => [.. Urls.Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The file that keeps each feed's ETag, Last-Modified and item fingerprints between polls (Feeds:StatePath).
    /// Unset: beside the embedded index (<c>&lt;index&gt;.feeds.json</c>), or <c>newsbot-feeds.json</c> in the current
    /// folder with Qdrant.
    /// </summary>
    public string? StatePath { get; set; }

    /// <summary>Time between two polls of the feeds while serving (Feeds:PollInterval, e.g. 00:15:00).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A URL or e-mail address put in the User-Agent, so site owners can reach whoever runs the bot (Feeds:Contact).</summary>
    public string Contact { get; set; } = DefaultContact;

    /// <summary>The least time between two requests to one host (Feeds:HostDelay).</summary>
    public TimeSpan HostDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Fetch URLs whose host is a loopback, private, link-local or metadata address (Feeds:AllowPrivateAddresses).</summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>The wait for one response (Feeds:TimeoutSeconds).</summary>
    public int TimeoutSeconds { get; set; } = 20;

    /// <summary>The largest body read (Feeds:MaxBytes); a larger one is skipped.</summary>
    public long MaxBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Redirects followed for one URL (Feeds:MaxRedirects); https never redirects to http.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>Retries after a 5xx or 429 (Feeds:MaxRetries), honouring <c>Retry-After</c>.</summary>
    public int MaxRetries { get; set; } = 2;

    /// <summary>Items read from one feed per poll, newest first as the feed lists them (Feeds:MaxItemsPerFeed).</summary>
    public int MaxItemsPerFeed { get; set; } = 100;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext) =>
        Problems().Select(p => new ValidationResult(p));

    /// <summary>The errors in these settings, each naming its key; empty when all are right.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        foreach (var url in FeedUrls)
        {
            if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                problems.Add($"Feeds:Urls: '{url}' is not an http or https URL");
        }
        if (PollInterval < TimeSpan.FromMinutes(1))
            problems.Add($"Feeds:PollInterval must be at least 00:01:00 (got {PollInterval}); feeds are polled politely");
        if (HostDelay < TimeSpan.Zero || HostDelay > TimeSpan.FromMinutes(1))
            problems.Add($"Feeds:HostDelay must be between 00:00:00 and 00:01:00 (got {HostDelay})");
        if (TimeoutSeconds is < 1 or > 300)
            problems.Add($"Feeds:TimeoutSeconds must be between 1 and 300 (got {TimeoutSeconds})");
        if (MaxBytes is < 1024 or > 100 * 1024 * 1024)
            problems.Add($"Feeds:MaxBytes must be between 1024 and 104857600 (got {MaxBytes})");
        if (MaxRedirects is < 0 or > 20)
            problems.Add($"Feeds:MaxRedirects must be between 0 and 20 (got {MaxRedirects})");
        if (MaxRetries is < 0 or > 10)
            problems.Add($"Feeds:MaxRetries must be between 0 and 10 (got {MaxRetries})");
        if (MaxItemsPerFeed is < 1 or > 10000)
            problems.Add($"Feeds:MaxItemsPerFeed must be between 1 and 10000 (got {MaxItemsPerFeed})");
        if (string.IsNullOrWhiteSpace(Contact) || Contact.Any(char.IsControl))
            problems.Add("Feeds:Contact must be a URL or e-mail address on one line");
        return problems;
    }
}
