using NewsBot.Core.Indexing;
using Qdrant.Client.Grpc;

namespace NewsBot.Qdrant;

/// <summary>
/// The names the collection schema, the writers and the queries share, so that a vector or payload key can never be
/// spelled two ways (Qdrant answers a misspelled vector name with "Not existing vector name").
/// </summary>
internal static class QdrantSchema
{
    public const string DenseVector = "dense";
    public const string LexicalVector = "lexical";
    public const string Distance = "Cosine";
    public const string IdfModifier = "idf";

    public const string PassageId = "passage_id";
    public const string ArticleId = "article_id";
    public const string Ordinal = "ordinal";
    public const string Start = "start";
    public const string End = "end";
    public const string Text = "text";
    public const string Title = "title";
    public const string Source = "source";

    /// <summary>The source lower-cased: keyword matches are exact, and source filters are case-insensitive.</summary>
    public const string SourceKey = "source_key";

    public const string Url = "url";

    /// <summary>The article's authors as written, and lower-cased for the case-insensitive author filter.</summary>
    public const string Authors = "authors";

    public const string AuthorKeys = "author_keys";

    /// <summary>RFC 3339 with the article's own offset; Qdrant's datetime index compares instants.</summary>
    public const string Published = "published";

    public const string ContentHash = "content_hash";
    public const string Origin = "origin";

    /// <summary>
    /// True on the article's first passage, which is written last: it is the commit marker of an article update, and
    /// what <c>GetArticleStatesAsync</c> and the article count read.
    /// </summary>
    public const string Head = "head";

    /// <summary>Key of NewsBot's object in the collection metadata (Qdrant 1.16+).</summary>
    public const string MetadataKey = "newsbot";

    /// <summary>Bumped when the payload layout or the lexical encoding changes incompatibly.</summary>
    public const int SchemaVersion = 1;

    /// <summary>Every payload key a filter, facet or order-by uses, with its index type, created before any upload.</summary>
    public static readonly IReadOnlyList<(string Field, PayloadSchemaType Type)> PayloadIndexes =
    [
        (ArticleId, PayloadSchemaType.Keyword),
        (Source, PayloadSchemaType.Keyword),
        (SourceKey, PayloadSchemaType.Keyword),
        (Published, PayloadSchemaType.Datetime),
        (ContentHash, PayloadSchemaType.Keyword),
        (Head, PayloadSchemaType.Bool),
        (AuthorKeys, PayloadSchemaType.Keyword),
    ];

    /// <summary>The embedder NewsBot recorded in the collection's metadata, or null when there is none (or it is unreadable).</summary>
    public static EmbedderDescriptor? ReadMetadata(CollectionInfo info) =>
        Ours(info) is { } ours && Field(ours, "embedder") is { KindCase: Value.KindOneofCase.StringValue } name
            && Field(ours, "dimensions") is { } dimensions && Integer(dimensions) is { } size
            ? new EmbedderDescriptor(name.StringValue, size)
            : null;

    /// <summary>The lexical encoding and payload layout NewsBot recorded, or null when not recorded.</summary>
    public static (string Lexical, int Schema)? ReadLayout(CollectionInfo info) =>
        Ours(info) is { } ours && Field(ours, "lexical") is { KindCase: Value.KindOneofCase.StringValue } lexical
            && Field(ours, "schema") is { } schema && Integer(schema) is { } version
            ? (lexical.StringValue, version)
            : null;

    private static Struct? Ours(CollectionInfo info) =>
        info.Config?.Metadata is { } metadata && metadata.TryGetValue(MetadataKey, out var ours) && ours.KindCase == Value.KindOneofCase.StructValue
            ? ours.StructValue
            : null;

    private static Value? Field(Struct value, string key) => value.Fields.TryGetValue(key, out var field) ? field : null;

    // JSON numbers may come back as integers or doubles, depending on the server.
    private static int? Integer(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.IntegerValue => (int)value.IntegerValue,
        Value.KindOneofCase.DoubleValue when value.DoubleValue == Math.Floor(value.DoubleValue) => (int)value.DoubleValue,
        _ => null,
    };
}
