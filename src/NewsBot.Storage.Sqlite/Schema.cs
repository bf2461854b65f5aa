namespace NewsBot.Storage.Sqlite;

/// <summary>The layout of an index file. Bump <see cref="Version"/> when a change needs existing files rebuilt.</summary>
internal static class Schema
{
    public const int Version = 2;

    /// <summary>Marks a file as ours, so that any other SQLite database at the path is refused rather than written to.</summary>
    public const string Format = "newsbot-index";

    // Larger pages hold two or three passages (vector + tokens + text) each instead of one, which makes the
    // full-table scan that loads the vectors into memory about a third faster. Only takes effect on a new file.
    public const string NewFilePragmas = "PRAGMA page_size = 8192;";

    /// <summary>For a read-only connection: nothing that writes (the journal mode is the file's own, WAL).</summary>
    public const string ReadOnlyPragmas = """
        PRAGMA temp_store = MEMORY;
        PRAGMA cache_size = -65536;
        """;

    public const string ConnectionPragmas = """
        PRAGMA journal_mode = WAL;
        PRAGMA synchronous = NORMAL;
        PRAGMA temp_store = MEMORY;
        PRAGMA cache_size = -65536;
        PRAGMA wal_autocheckpoint = 10000;
        """;

    // Passage columns are ordered for the load scan: rowid, article, vector and terms come first so that reading them
    // never walks into the text. terms holds the passage's terms (Core's PassageTerms) as term ids with counts (see
    // TermCounts), which the in-memory lexical index loads without hashing a string. Schema 1 also had an FTS5 table
    // over the same tokens; nothing read it (BM25 runs in memory, 1-2 ms a question against FTS5's 25-80 ms), and
    // writing it cost a third of every ingest, so schema 2 dropped it.
    public const string Create = """
        CREATE TABLE meta(
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE articles(
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            content_hash TEXT NOT NULL,
            origin TEXT,
            title TEXT NOT NULL,
            source TEXT,
            url TEXT,
            published TEXT,
            published_unix INTEGER,
            authors TEXT NOT NULL
        );

        CREATE TABLE terms(
            id INTEGER PRIMARY KEY,
            term TEXT NOT NULL UNIQUE
        );

        CREATE TABLE passages(
            rowid INTEGER PRIMARY KEY,
            article INTEGER NOT NULL REFERENCES articles(rowid),
            vector BLOB NOT NULL,
            terms BLOB NOT NULL,
            id TEXT NOT NULL,
            ordinal INTEGER NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX passages_article ON passages(article);

        """;

    /// <summary>The tables every index file of this schema holds.</summary>
    public static readonly IReadOnlyList<string> Tables = ["meta", "articles", "terms", "passages"];

    public static class Keys
    {
        public const string Format = "format";
        public const string SchemaVersion = "schema_version";
        public const string EmbedderName = "embedder_name";
        public const string EmbedderDimensions = "embedder_dimensions";
    }
}
