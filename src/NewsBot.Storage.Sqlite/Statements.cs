using Microsoft.Data.Sqlite;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The commands the index runs per article or per search, created once per connection so that SQLite compiles each
/// statement once and every later call only binds values.
/// </summary>
internal sealed class Statements : IDisposable
{
    private readonly List<SqliteCommand> _all = [];

    public Statements(SqliteConnection connection)
    {
        // IMMEDIATE takes the write lock up front, so a second writer waits (busy timeout) instead of failing when it
        // tries to upgrade a read transaction half-way through an article.
        Begin = Create(connection, "BEGIN IMMEDIATE");
        BeginRead = Create(connection, "BEGIN");
        Commit = Create(connection, "COMMIT");
        Rollback = Create(connection, "ROLLBACK");
        Savepoint = Create(connection, "SAVEPOINT article");
        Release = Create(connection, "RELEASE article");
        RollbackToSavepoint = Create(connection, "ROLLBACK TO article");
        DataVersion = Create(connection, "PRAGMA data_version");

        UpsertArticle = Create(connection, """
            INSERT INTO articles(id, content_hash, origin, title, source, url, published, published_unix, authors)
            VALUES ($id, $hash, $origin, $title, $source, $url, $published, $published_unix, $authors)
            ON CONFLICT(id) DO UPDATE SET
                content_hash = excluded.content_hash, origin = excluded.origin, title = excluded.title,
                source = excluded.source, url = excluded.url, published = excluded.published,
                published_unix = excluded.published_unix, authors = excluded.authors
            RETURNING rowid
            """);
        ArticleId = Add(UpsertArticle, "$id", SqliteType.Text);
        ArticleHash = Add(UpsertArticle, "$hash", SqliteType.Text);
        ArticleOrigin = Add(UpsertArticle, "$origin", SqliteType.Text);
        ArticleTitle = Add(UpsertArticle, "$title", SqliteType.Text);
        ArticleSource = Add(UpsertArticle, "$source", SqliteType.Text);
        ArticleUrl = Add(UpsertArticle, "$url", SqliteType.Text);
        ArticlePublished = Add(UpsertArticle, "$published", SqliteType.Text);
        ArticlePublishedUnix = Add(UpsertArticle, "$published_unix", SqliteType.Integer);
        ArticleAuthors = Add(UpsertArticle, "$authors", SqliteType.Text);

        InsertPassage = Create(connection, """
            INSERT INTO passages(article, vector, terms, id, ordinal, start_offset, end_offset, text)
            VALUES ($article, $vector, $terms, $id, $ordinal, $start, $end, $text)
            """);
        PassageArticle = Add(InsertPassage, "$article", SqliteType.Integer);
        PassageVector = Add(InsertPassage, "$vector", SqliteType.Blob);
        PassageTerms = Add(InsertPassage, "$terms", SqliteType.Blob);
        PassageId = Add(InsertPassage, "$id", SqliteType.Text);
        PassageOrdinal = Add(InsertPassage, "$ordinal", SqliteType.Integer);
        PassageStart = Add(InsertPassage, "$start", SqliteType.Integer);
        PassageEnd = Add(InsertPassage, "$end", SqliteType.Integer);
        PassageText = Add(InsertPassage, "$text", SqliteType.Text);

        InsertTerm = Create(connection, "INSERT INTO terms(id, term) VALUES ($id, $term)");
        TermId = Add(InsertTerm, "$id", SqliteType.Integer);
        Term = Add(InsertTerm, "$term", SqliteType.Text);

        FindArticle = Create(connection, "SELECT rowid FROM articles WHERE id = $id");
        FindArticleId = Add(FindArticle, "$id", SqliteType.Text);

        DeletePassages = Create(connection, "DELETE FROM passages WHERE article = $article");
        DeletePassagesArticle = Add(DeletePassages, "$article", SqliteType.Integer);

        DeleteArticle = Create(connection, "DELETE FROM articles WHERE rowid = $article");
        DeleteArticleRowid = Add(DeleteArticle, "$article", SqliteType.Integer);

        ReadPassages = Create(connection, """
            SELECT p.rowid, p.id, p.ordinal, p.start_offset, p.end_offset, p.text, a.id, a.title, a.source, a.url, a.published, a.authors
            FROM passages p JOIN articles a ON a.rowid = p.article
            WHERE p.rowid IN (SELECT value FROM json_each($rowids))
            """);
        ReadPassagesRowids = Add(ReadPassages, "$rowids", SqliteType.Text);
    }

    public SqliteCommand Begin { get; }
    public SqliteCommand BeginRead { get; }
    public SqliteCommand Commit { get; }
    public SqliteCommand Rollback { get; }
    public SqliteCommand Savepoint { get; }
    public SqliteCommand Release { get; }
    public SqliteCommand RollbackToSavepoint { get; }
    public SqliteCommand DataVersion { get; }

    public SqliteCommand UpsertArticle { get; }
    public SqliteParameter ArticleId { get; }
    public SqliteParameter ArticleHash { get; }
    public SqliteParameter ArticleOrigin { get; }
    public SqliteParameter ArticleTitle { get; }
    public SqliteParameter ArticleSource { get; }
    public SqliteParameter ArticleUrl { get; }
    public SqliteParameter ArticlePublished { get; }
    public SqliteParameter ArticlePublishedUnix { get; }
    public SqliteParameter ArticleAuthors { get; }

    public SqliteCommand InsertPassage { get; }
    public SqliteParameter PassageArticle { get; }
    public SqliteParameter PassageVector { get; }
    public SqliteParameter PassageTerms { get; }
    public SqliteParameter PassageId { get; }
    public SqliteParameter PassageOrdinal { get; }
    public SqliteParameter PassageStart { get; }
    public SqliteParameter PassageEnd { get; }
    public SqliteParameter PassageText { get; }


    public SqliteCommand InsertTerm { get; }
    public SqliteParameter TermId { get; }
    public SqliteParameter Term { get; }

    public SqliteCommand FindArticle { get; }
    public SqliteParameter FindArticleId { get; }

    public SqliteCommand DeletePassages { get; }
    public SqliteParameter DeletePassagesArticle { get; }

    public SqliteCommand DeleteArticle { get; }
    public SqliteParameter DeleteArticleRowid { get; }

    public SqliteCommand ReadPassages { get; }
    public SqliteParameter ReadPassagesRowids { get; }

    public void Dispose()
    {
        foreach (var command in _all)
            command.Dispose();
        _all.Clear();
    }

    private SqliteCommand Create(SqliteConnection connection, string sql)
    {
        var command = connection.CreateCommand();
#pragma warning disable CA2100 // Constant SQL; values are always bound as parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        _all.Add(command);
        return command;
    }

    private static SqliteParameter Add(SqliteCommand command, string name, SqliteType type) => command.Parameters.Add(name, type);
}
