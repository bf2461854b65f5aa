using System.Globalization;
using System.Net;
using System.Numerics.Tensors;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using NewsBot.Qdrant.Rest;

namespace NewsBot.Qdrant;

/// <summary>
/// The passage index in a Qdrant collection, spoken to over Qdrant's REST API (1.15 or later). One point per passage:
/// a named dense vector <c>dense</c> (cosine), a named sparse vector <c>lexical</c> (BM25 through the <c>idf</c>
/// modifier), and the passage with its article's fields as payload. Searches are one Query API request: a dense and a
/// lexical prefetch fused by RRF.
/// </summary>
public sealed partial class QdrantPassageIndex : IPassageIndex, IDisposable
{
    /// <summary>Qdrant's RRF constant when <c>{"fusion": "rrf"}</c> is sent without parameters.</summary>
    internal const int ServerRrfK = 2;

    private const int FacetLimit = 100_000;

    /// <summary>Each list is at least this deep, as in the embedded index, so that both fuse the same candidates.</summary>
    private const int MinimumCandidatesPerList = 100;

    private readonly QdrantOptions _options;
    private readonly QdrantRestClient _client;
    private readonly ILogger _logger;
    private readonly string _collectionPath;
    private EmbedderDescriptor? _embedder;

    /// <param name="options">The <c>Qdrant</c> section; checked with <see cref="QdrantOptions.Validate"/>.</param>
    /// <param name="handler">The HTTP handler to send through; null uses a pooled <see cref="SocketsHttpHandler"/>. Tests pass their own.</param>
    /// <param name="timeProvider">Clock for retry delays; null is the system clock.</param>
    public QdrantPassageIndex(QdrantOptions options, HttpMessageHandler? handler = null, TimeProvider? timeProvider = null, ILogger<QdrantPassageIndex>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _client = new QdrantRestClient(options, handler, timeProvider ?? TimeProvider.System, _logger);
        _collectionPath = "collections/" + Uri.EscapeDataString(options.Collection);
    }

    public string Location => $"{_client.DisplayUrl} (collection {_options.Collection})";

    /// <summary>Points per scroll page when reading article states; small in tests to exercise paging.</summary>
    internal int ScrollPageSize { get; init; } = 1000;

    public async Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var info = await TryGetCollectionAsync(cancellationToken);
        if (info is null)
        {
            await CreateCollectionAsync(embedder, cancellationToken);
            info = await TryGetCollectionAsync(cancellationToken)
                ?? throw new IndexUnavailableException($"Qdrant at {_client.DisplayUrl} created the collection '{_options.Collection}' but does not find it.");
        }

        var recorded = CheckSchema(info, embedder);
        if (recorded is null)
        {
            // Created by another tool, or by a server older than 1.16 that has no collection metadata: the vectors fit,
            // so record the embedder now (an older server ignores this and only size and distance can be checked).
            LogEmbedderNotRecorded(_logger, _options.Collection, embedder.ToString());
            var update = new WireUpdateCollection(Metadata(embedder));
            var reply = await _client.SendAsync(HttpMethod.Patch, _collectionPath, QdrantRestClient.Serialize(update, QdrantJsonContext.Default.WireUpdateCollection), cancellationToken);
            _client.EnsureSuccess(reply, HttpMethod.Patch, _collectionPath);
        }

        await EnsurePayloadIndexesAsync(info, cancellationToken);
        _embedder = embedder;
    }

    public async Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, IndexedArticleState>(StringComparer.Ordinal);
        var filter = new WireFilter(Must: [WireCondition.Equal(QdrantSchema.Head, true)]);
        JsonElement? offset = null;
        do
        {
            var request = new WireScrollRequest(filter, ScrollPageSize, offset, [QdrantSchema.ArticleId, QdrantSchema.ContentHash, QdrantSchema.Origin], WithVector: false, OrderBy: null);
            var page = await _client.CallAsync(HttpMethod.Post, _collectionPath + "/points/scroll",
                QdrantRestClient.Serialize(request, QdrantJsonContext.Default.WireScrollRequest), QdrantJsonContext.Default.WireEnvelopeWireScrollResult, cancellationToken);
            foreach (var point in page.Points)
            {
                if (point.Payload is { ArticleId: { } articleId, ContentHash: { } hash } payload)
                    states.TryAdd(articleId, new IndexedArticleState(articleId, hash, payload.Origin));
            }
            offset = page.NextPageOffset.ValueKind is JsonValueKind.String or JsonValueKind.Number ? page.NextPageOffset : null;
        }
        while (offset is not null);
        return states;
    }

    /// <remarks>
    /// The article's passages other than the first are written first, then its stale points (another content hash) are
    /// deleted, and the first passage, which carries the <c>head</c> marker read by <see cref="GetArticleStatesAsync"/>,
    /// is written last. A crash anywhere in between leaves the article searchable and its recorded hash unchanged, so
    /// the next ingest sees it as changed and completes the replacement.
    /// </remarks>
    public async Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        if (article.Passages.Count != article.Vectors.Count)
            throw new ArgumentException($"Article '{article.Article.Id}' has {article.Passages.Count} passages but {article.Vectors.Count} vectors.", nameof(article));
        if (_embedder is { } embedder)
        {
            for (var i = 0; i < article.Vectors.Count; i++)
            {
                if (article.Vectors[i].Length != embedder.Dimensions)
                    throw new ArgumentException($"Passage '{article.Passages[i].Id}' has a vector of {article.Vectors[i].Length} dimensions; the collection holds {embedder.Dimensions}.", nameof(article));
            }
        }

        var articleId = article.Article.Id;
        if (article.Passages.Count == 0)
        {
            await DeleteByFilterAsync(new WireFilter(Must: [WireCondition.Equal(QdrantSchema.ArticleId, articleId)]), cancellationToken);
            return;
        }

        var points = new List<WirePoint>(article.Passages.Count);
        for (var i = 0; i < article.Passages.Count; i++)
            points.Add(ToPoint(article, i));
        var head = points[0];

        for (var start = 1; start < points.Count; start += _options.BatchSize)
            await UpsertPointsAsync(points.GetRange(start, Math.Min(_options.BatchSize, points.Count - start)), cancellationToken);

        var stale = new WireFilter(
            Must: [WireCondition.Equal(QdrantSchema.ArticleId, articleId)],
            MustNot: [WireCondition.Equal(QdrantSchema.ContentHash, article.ContentHash), new WireCondition { HasId = [head.Id] }]);
        await DeleteByFilterAsync(stale, cancellationToken);

        await UpsertPointsAsync([head], cancellationToken);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articleIds);
        var ids = articleIds.Distinct(StringComparer.Ordinal).ToList();
        for (var start = 0; start < ids.Count; start += _options.BatchSize)
        {
            var chunk = ids.GetRange(start, Math.Min(_options.BatchSize, ids.Count - start));
            await DeleteByFilterAsync(new WireFilter(Must: [WireCondition.AnyOf(QdrantSchema.ArticleId, chunk)]), cancellationToken);
        }
    }

    /// <remarks>
    /// One Query API request: a dense prefetch and a lexical prefetch of <see cref="PassageQuery.Limit"/> (at least 100)
    /// candidates each (both filtered), fused by Qdrant's RRF, with a main limit of both lists together so the whole union comes back, with
    /// its payloads and dense vectors. Qdrant returns only fused scores, so the ranks are recovered client-side: the dense
    /// rank is the position by cosine similarity (computed here from the returned vectors, which is also
    /// <see cref="PassageCandidate.Similarity"/>), and the lexical rank follows from the fused score once the dense share
    /// (1 / (k + dense rank − 1), with Qdrant's k = 2) is taken out (see <see cref="Rank"/>). The candidates are then scored with
    /// <see cref="ReciprocalRankFusion"/> and its default k, exactly as the embedded index does, so both indexes rank alike.
    /// </remarks>
    public async Task<IReadOnlyList<PassageCandidate>> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Limit <= 0)
            return [];
        var perList = Math.Max(query.Limit, MinimumCandidatesPerList);
        var filter = QdrantFilters.For(query.Filter);
        // An all-zero vector has no cosine with anything (and MaxMagnitude keeps the sign, hence != 0).
        var useDense = !query.Vector.IsEmpty && TensorPrimitives.MaxMagnitude(query.Vector.Span) != 0;
        var (indices, values) = LexicalVector.ForQuery(query.Terms);
        var useLexical = indices.Length > 0;
        if (!useDense && !useLexical)
            return [];

        // The filter goes into each prefetch: that is where candidates are chosen, and it does not depend on the server
        // merging a top-level filter downwards.
        var prefetch = new List<WirePrefetch>(2);
        if (useDense)
            prefetch.Add(new WirePrefetch(new WireQueryInput { Dense = query.Vector }, QdrantSchema.DenseVector, filter, perList));
        if (useLexical)
            prefetch.Add(new WirePrefetch(new WireQueryInput { Sparse = new WireSparseVector(indices, values) }, QdrantSchema.LexicalVector, filter, perList));
        var request = new WireQueryRequest(prefetch, new WireQueryInput { Fusion = "rrf" }, perList * prefetch.Count, WithPayload: true, WithVector: [QdrantSchema.DenseVector]);

        var result = await _client.CallAsync(HttpMethod.Post, _collectionPath + "/points/query",
            QdrantRestClient.Serialize(request, QdrantJsonContext.Default.WireQueryRequest), QdrantJsonContext.Default.WireEnvelopeWireQueryResult, cancellationToken);

        var hits = new List<Hit>(result.Points.Count);
        foreach (var point in result.Points)
        {
            if (point.Payload is not { } payload || ToPassage(payload) is not { } passage)
                continue;
            hits.Add(new Hit(passage, point.Score, Cosine(query.Vector.Span, point.Vector?.Dense)));
        }
        return Rank(hits, useDense, useLexical, perList, query.Limit);
    }

    public async Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        var info = await TryGetCollectionAsync(cancellationToken)
            ?? throw new IndexUnavailableException($"The Qdrant collection '{_options.Collection}' does not exist at {_client.DisplayUrl}. Run 'newsbot ingest' first, or check Qdrant:Collection.");
        var passages = await CountAsync(null, cancellationToken);
        var articles = await CountAsync(new WireFilter(Must: [WireCondition.Equal(QdrantSchema.Head, true)]), cancellationToken);
        var sources = passages == 0 ? [] : await FacetAsync(QdrantSchema.Source, cancellationToken);
        var oldest = passages == 0 ? null : await EdgePublishedAsync("asc", cancellationToken);
        var newest = passages == 0 ? null : await EdgePublishedAsync("desc", cancellationToken);

        var parameters = info.Config?.Params;
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Collection"] = _options.Collection,
            ["Status"] = info.Status ?? "unknown",
            ["Optimizer"] = info.OptimizerStatus.ValueKind == JsonValueKind.String ? info.OptimizerStatus.GetString()! : info.OptimizerStatus.ValueKind == JsonValueKind.Object ? info.OptimizerStatus.GetRawText() : "unknown",
            ["Points"] = Number(info.PointsCount),
            ["Indexed vectors"] = Number(info.IndexedVectorsCount),
            ["Segments"] = Number(info.SegmentsCount),
            ["Shards"] = Number(parameters?.ShardNumber ?? 1),
            ["Replication factor"] = Number(parameters?.ReplicationFactor ?? 1),
            ["Write consistency factor"] = Number(parameters?.WriteConsistencyFactor ?? 1),
        };
        if (DenseVectorParams(parameters) is { } dense)
            details["Dense vector"] = $"{QdrantSchema.DenseVector}: {Number(dense.Size)} dimensions, {dense.Distance}, on disk: {(dense.OnDisk ? "yes" : "no")}";
        if (parameters?.SparseVectors?.GetValueOrDefault(QdrantSchema.LexicalVector) is { } lexical)
            details["Lexical vector"] = $"{QdrantSchema.LexicalVector}: sparse, modifier {lexical.Modifier ?? "none"}";
        if (parameters?.OnDiskPayload is { } onDiskPayload)
            details["Payload on disk"] = onDiskPayload ? "yes" : "no";
        if (info.PayloadSchema is { Count: > 0 } schema)
            details["Payload indexes"] = string.Join(", ", schema.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} ({p.Value.DataType})"));
        if (await TryGetVersionAsync(cancellationToken) is { } version)
            details["Qdrant version"] = version;

        var recorded = ReadMetadata(info);
        var embedder = recorded is not null
            ? new EmbedderDescriptor(recorded.Embedder, recorded.Dimensions)
            : DenseVectorParams(parameters) is { } d ? new EmbedderDescriptor("unknown embedder", d.Size) : null;
        return new IndexStatistics(Location, articles, passages, sources.Count, oldest, newest, embedder, details);
    }

    public async Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
            return [];
        var sources = await FacetAsync(QdrantSchema.Source, cancellationToken);
        return sources
            .Where(s => string.IsNullOrEmpty(prefix) || s.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase)
            .Take(limit)
            .ToList();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Also synchronous, so that a service provider disposed with <c>Dispose()</c> can release it.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>
    /// Recovers each hit's dense and lexical rank from the fused result (see <see cref="SearchAsync"/>) and scores it
    /// with <see cref="ReciprocalRankFusion"/>. Points with exactly equal cosine similarity (duplicated passages) could
    /// sit in either order in the dense list, so within such a tie the dense rank is the one that makes the lexical
    /// rank come out whole. When the scores cannot be decoded at all, Qdrant's own fused scores and order are kept.
    /// </summary>
    internal static IReadOnlyList<PassageCandidate> Rank(IReadOnlyList<Hit> hits, bool dense, bool lexical, int perList, int limit)
    {
        var count = hits.Count;
        var denseRanks = new int?[count];
        var lexicalRanks = new int?[count];
        var decoded = true;
        if (lexical && !dense)
        {
            // A single list: the fused order is the lexical order.
            for (var i = 0; i < Math.Min(perList, count); i++)
                lexicalRanks[i] = i + 1;
        }
        else if (!lexical || !(DecodeBoth(hits, perList, denseRanks, lexicalRanks, preferDense: true) || DecodeBoth(hits, perList, denseRanks, lexicalRanks, preferDense: false)))
        {
            decoded = !lexical;
            Array.Clear(denseRanks);
            Array.Clear(lexicalRanks);
            var byCosine = Enumerable.Range(0, count).OrderByDescending(i => hits[i].Similarity).ThenBy(i => i).ToArray();
            for (var position = 0; position < Math.Min(perList, count); position++)
                denseRanks[byCosine[position]] = position + 1;
        }

        var candidates = new List<(PassageCandidate Candidate, int Order)>(count);
        for (var i = 0; i < count; i++)
        {
            var candidate = decoded
                ? new PassageCandidate(hits[i].Passage, ReciprocalRankFusion.Score(denseRanks[i], lexicalRanks[i]), denseRanks[i], lexicalRanks[i], hits[i].Similarity)
                : new PassageCandidate(hits[i].Passage, hits[i].FusedScore, denseRanks[i], null, hits[i].Similarity);
            candidates.Add((candidate, i));
        }
        return candidates
            .OrderByDescending(x => x.Candidate.Score)
            .ThenByDescending(x => x.Candidate.Similarity)
            .ThenBy(x => x.Order)
            .Take(limit)
            .Select(x => x.Candidate)
            .ToList();
    }

    /// <summary>
    /// Walks the hits from the most to the least similar. A hit is normally the next one of the dense list; its fused
    /// score minus that dense share must then be nothing (dense only) or a lexical share 1 / (k + rank − 1) of a whole,
    /// unused lexical rank. A hit whose score fits only as a lexical share is a lexical-only candidate that is more
    /// similar than the dense list's last ones (which approximate HNSW search can produce). Hits of equal similarity
    /// may take the dense ranks of their group in any order. Where a score fits both readings, the first pass prefers
    /// the dense one and the second the lexical one; a pass counts only if its lexical ranks run 1, 2, 3… without a
    /// gap, as the ranks of one list do.
    /// </summary>
    private static bool DecodeBoth(IReadOnlyList<Hit> hits, int perList, int?[] denseRanks, int?[] lexicalRanks, bool preferDense)
    {
        Array.Clear(denseRanks);
        Array.Clear(lexicalRanks);
        var count = hits.Count;
        var byCosine = Enumerable.Range(0, count).OrderByDescending(i => hits[i].Similarity).ThenBy(i => i).ToArray();
        var lexicalUsed = new bool[perList + 1];
        var nextDense = 1;
        for (var first = 0; first < count;)
        {
            var last = first;
            while (last + 1 < count && hits[byCosine[last + 1]].Similarity == hits[byCosine[first]].Similarity)
                last++;
            var window = Enumerable.Range(nextDense, last - first + 1).Where(r => r <= perList).ToList();
            var taken = new List<int>();
            for (var member = first; member <= last; member++)
            {
                var i = byCosine[member];
                var placed = false;
                var dense = window.Except(taken).Select(r => (int?)r);
                foreach (var d in preferDense ? dense.Append(null) : dense.Prepend(null))
                {
                    var share = d is { } rank ? 1.0 / (ServerRrfK + rank - 1) : 0;
                    if (LexicalRankOf(hits[i].FusedScore - share, perList, lexicalUsed, allowNone: d is not null) is not { } l)
                        continue;
                    denseRanks[i] = d;
                    lexicalRanks[i] = l == 0 ? null : l;
                    if (l > 0)
                        lexicalUsed[l] = true;
                    if (d is { } used)
                        taken.Add(used);
                    placed = true;
                    break;
                }
                if (!placed)
                    return false;
            }
            // The group's dense members must fill the next ranks without a gap.
            taken.Sort();
            for (var t = 0; t < taken.Count; t++)
            {
                if (taken[t] != nextDense + t)
                    return false;
            }
            nextDense += taken.Count;
            first = last + 1;
        }
        var lexicalCount = lexicalUsed.Count(u => u);
        return lexicalUsed.AsSpan(1, Math.Min(lexicalCount, perList)).IndexOf(false) < 0;
    }

    /// <summary>The whole, unused lexical rank whose share is <paramref name="rest"/>; 0 for no share (when allowed); null when it does not fit.</summary>
    private static int? LexicalRankOf(double rest, int perList, bool[] used, bool allowNone)
    {
        // The smallest share there can be is 1 / (k + perList − 1); anything well below it is rounding.
        var none = 0.5 / (ServerRrfK + perList);
        if (Math.Abs(rest) <= none)
            return allowNone ? 0 : null;
        if (rest < 0)
            return null;
        var exact = (1.0 / rest) - ServerRrfK + 1;
        var whole = (int)Math.Round(exact);
        return Math.Abs(exact - whole) <= 0.05 && whole >= 1 && whole <= perList && !used[whole] ? whole : null;
    }

    internal sealed record Hit(Passage Passage, double FusedScore, float Similarity);

    private async Task<WireCollectionInfo?> TryGetCollectionAsync(CancellationToken cancellationToken)
    {
        var reply = await _client.SendAsync(HttpMethod.Get, _collectionPath, null, cancellationToken);
        if (reply.Status == HttpStatusCode.NotFound)
            return null;
        _client.EnsureSuccess(reply, HttpMethod.Get, _collectionPath);
        return _client.ReadResult(reply, HttpMethod.Get, _collectionPath, QdrantJsonContext.Default.WireEnvelopeWireCollectionInfo);
    }

    private async Task CreateCollectionAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        // Unset unless asked for: the server's own defaults stand (payload on disk, vectors in RAM).
        var onDisk = _options.OnDisk ? true : (bool?)null;
        var create = new WireCreateCollection(
            Vectors: new Dictionary<string, WireVectorParams>
            {
                [QdrantSchema.DenseVector] = new(embedder.Dimensions, QdrantSchema.Distance, onDisk),
            },
            SparseVectors: new Dictionary<string, WireSparseVectorParams>
            {
                [QdrantSchema.LexicalVector] = new(QdrantSchema.IdfModifier, onDisk is null ? null : new WireSparseIndexParams(onDisk)),
            },
            _options.ShardNumber,
            _options.ReplicationFactor,
            _options.WriteConsistencyFactor,
            OnDiskPayload: onDisk,
            Metadata: Metadata(embedder));
        var path = _collectionPath + "?timeout=" + _options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        var reply = await _client.SendAsync(HttpMethod.Put, path, QdrantRestClient.Serialize(create, QdrantJsonContext.Default.WireCreateCollection), cancellationToken);
        // 409 (400 before 1.19): another process, or our own retried request, created it first; the schema check follows.
        if (reply.Status == HttpStatusCode.Conflict || (reply.Status == HttpStatusCode.BadRequest && QdrantRestClient.ErrorText(reply).Contains("already exists", StringComparison.OrdinalIgnoreCase)))
            return;
        _client.EnsureSuccess(reply, HttpMethod.Put, path);
        LogCollectionCreated(_logger, _options.Collection, embedder.ToString());
    }

    private static Dictionary<string, WireCollectionMetadata> Metadata(EmbedderDescriptor embedder) => new()
    {
        [QdrantSchema.MetadataKey] = new WireCollectionMetadata(embedder.Name, embedder.Dimensions, QdrantSchema.Distance, LexicalVector.Encoding, QdrantSchema.SchemaVersion),
    };

    /// <summary>Throws when the collection cannot hold this embedder's passages; returns what NewsBot recorded in it, if anything.</summary>
    private WireCollectionMetadata? CheckSchema(WireCollectionInfo info, EmbedderDescriptor embedder)
    {
        var parameters = info.Config?.Params;
        var recorded = ReadMetadata(info);
        if (DenseVectorParams(parameters) is not { } dense)
        {
            throw Mismatch($"has no named dense vector '{QdrantSchema.DenseVector}' (its vectors are {Describe(parameters?.Vectors)})",
                $"'{QdrantSchema.DenseVector}' with {embedder.Dimensions} dimensions, {QdrantSchema.Distance}");
        }
        var existing = recorded is not null
            ? new EmbedderDescriptor(recorded.Embedder, recorded.Dimensions)
            : new EmbedderDescriptor("an unrecorded embedder", dense.Size);
        if (dense.Size != embedder.Dimensions)
            throw new IndexMismatchException(MismatchLocation, existing, embedder);
        if (!string.Equals(dense.Distance, QdrantSchema.Distance, StringComparison.Ordinal))
            throw Mismatch($"compares vectors by {dense.Distance} distance", $"NewsBot needs {QdrantSchema.Distance}");
        var sparse = parameters?.SparseVectors?.GetValueOrDefault(QdrantSchema.LexicalVector);
        if (sparse is null)
            throw Mismatch($"has no sparse vector '{QdrantSchema.LexicalVector}'", $"NewsBot needs '{QdrantSchema.LexicalVector}' with the idf modifier for lexical search");
        if (!string.Equals(sparse.Modifier, QdrantSchema.IdfModifier, StringComparison.OrdinalIgnoreCase))
            throw Mismatch($"has the sparse vector '{QdrantSchema.LexicalVector}' with modifier {sparse.Modifier ?? "none"}", "NewsBot needs modifier idf");
        if (recorded is null)
            return null;
        if (!string.Equals(recorded.Embedder, embedder.Name, StringComparison.Ordinal) || recorded.Dimensions != embedder.Dimensions)
            throw new IndexMismatchException(MismatchLocation, existing, embedder);
        if (!string.Equals(recorded.Lexical, LexicalVector.Encoding, StringComparison.Ordinal) || recorded.Schema != QdrantSchema.SchemaVersion)
        {
            throw Mismatch($"was written with lexical encoding {recorded.Lexical} and layout {recorded.Schema}",
                $"this NewsBot writes {LexicalVector.Encoding} and layout {QdrantSchema.SchemaVersion}");
        }
        return recorded;
    }

    /// <summary>
    /// Where, for the embedder mismatch message of <see cref="IndexMismatchException"/>; that message's own advice is
    /// about the SQLite file, so the Qdrant remedy goes here.
    /// </summary>
    private string MismatchLocation =>
        $"{_client.DisplayUrl}, collection '{_options.Collection}' (to start over, set Qdrant:Collection to a new name or delete the collection)";

    private IndexMismatchException Mismatch(string existing, string configured) => new(
        $"The Qdrant collection '{_options.Collection}' at {_client.DisplayUrl} {existing}, but {configured}. " +
        $"Re-ingest into a new collection (set Qdrant:Collection to a new name, or delete '{_options.Collection}'), or configure the embedder it was built with.");

    private static WireCollectionMetadata? ReadMetadata(WireCollectionInfo info)
    {
        if (info.Config?.Metadata is not { ValueKind: JsonValueKind.Object } metadata || !metadata.TryGetProperty(QdrantSchema.MetadataKey, out var ours))
            return null;
        try
        {
            return ours.Deserialize(QdrantJsonContext.Default.WireCollectionMetadata);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (int Size, string Distance, bool OnDisk)? DenseVectorParams(WireCollectionParams? parameters)
    {
        if (parameters?.Vectors is not { ValueKind: JsonValueKind.Object } vectors
            || !vectors.TryGetProperty(QdrantSchema.DenseVector, out var dense)
            || dense.ValueKind != JsonValueKind.Object
            || !dense.TryGetProperty("size", out var size)
            || !size.TryGetInt32(out var dimensions))
        {
            return null;
        }
        var distance = dense.TryGetProperty("distance", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "unknown";
        var onDisk = dense.TryGetProperty("on_disk", out var o) && o.ValueKind == JsonValueKind.True;
        return (dimensions, distance, onDisk);
    }

    private static string Describe(JsonElement? vectors) => vectors is { ValueKind: JsonValueKind.Object } v
        ? v.TryGetProperty("size", out var size) ? $"one unnamed vector of size {size.GetRawText()}" : "named " + string.Join(", ", v.EnumerateObject().Select(p => $"'{p.Name}'"))
        : "none";

    private async Task EnsurePayloadIndexesAsync(WireCollectionInfo info, CancellationToken cancellationToken)
    {
        var existing = info.PayloadSchema ?? new Dictionary<string, WirePayloadIndexInfo>();
        foreach (var (field, type) in QdrantSchema.PayloadIndexes)
        {
            if (existing.TryGetValue(field, out var index))
            {
                if (!string.Equals(index.DataType, type, StringComparison.OrdinalIgnoreCase))
                    LogPayloadIndexType(_logger, _options.Collection, field, index.DataType ?? "unknown", type);
                continue;
            }
            var path = _collectionPath + "/index?wait=true";
            await _client.CallAsync(HttpMethod.Put, path,
                QdrantRestClient.Serialize(new WireCreateFieldIndex(field, type), QdrantJsonContext.Default.WireCreateFieldIndex),
                QdrantJsonContext.Default.WireEnvelopeWireUpdateResult, cancellationToken);
        }
    }

    private WirePoint ToPoint(IndexedArticle article, int index)
    {
        var passage = article.Passages[index];
        var (indices, values) = LexicalVector.ForPassage(passage.SearchText);
        var source = passage.Source ?? article.Article.Source;
        var published = passage.Published ?? article.Article.Published;
        var payload = new WirePassagePayload
        {
            PassageId = passage.Id,
            ArticleId = passage.ArticleId,
            Ordinal = passage.Ordinal,
            Start = passage.Start,
            End = passage.End,
            Text = passage.Text,
            Title = passage.Title,
            Source = source,
            SourceKey = source is null ? null : QdrantFilters.SourceKey(source),
            Url = passage.Url ?? article.Article.Url,
            Published = published is { } p ? QdrantFilters.Rfc3339(p) : null,
            ContentHash = article.ContentHash,
            Origin = article.Article.Origin,
            Head = index == 0 ? true : null,
        };
        return new WirePoint(PointIds.ForPassage(passage.Id), new WirePointVectors(article.Vectors[index], new WireSparseVector(indices, values)), payload);
    }

    private static Passage? ToPassage(WirePassagePayload payload)
    {
        if (payload.PassageId is null || payload.ArticleId is null || payload.Text is null)
            return null;
        DateTimeOffset? published = DateTimeOffset.TryParse(payload.Published, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var p) ? p : null;
        return new Passage
        {
            Id = payload.PassageId,
            ArticleId = payload.ArticleId,
            Ordinal = payload.Ordinal ?? 0,
            Start = payload.Start ?? 0,
            End = payload.End ?? payload.Text.Length,
            Text = payload.Text,
            Title = payload.Title ?? "",
            Source = payload.Source,
            Url = payload.Url,
            Published = published,
        };
    }

    private async Task UpsertPointsAsync(IReadOnlyList<WirePoint> points, CancellationToken cancellationToken)
    {
        var path = _collectionPath + "/points?wait=true";
        await _client.CallAsync(HttpMethod.Put, path,
            QdrantRestClient.Serialize(new WireUpsertPoints(points), QdrantJsonContext.Default.WireUpsertPoints),
            QdrantJsonContext.Default.WireEnvelopeWireUpdateResult, cancellationToken);
    }

    private async Task DeleteByFilterAsync(WireFilter filter, CancellationToken cancellationToken)
    {
        var path = _collectionPath + "/points/delete?wait=true";
        await _client.CallAsync(HttpMethod.Post, path,
            QdrantRestClient.Serialize(new WireDeletePoints(filter), QdrantJsonContext.Default.WireDeletePoints),
            QdrantJsonContext.Default.WireEnvelopeWireUpdateResult, cancellationToken);
    }

    private async Task<long> CountAsync(WireFilter? filter, CancellationToken cancellationToken)
    {
        var result = await _client.CallAsync(HttpMethod.Post, _collectionPath + "/points/count",
            QdrantRestClient.Serialize(new WireCountRequest(filter, Exact: true), QdrantJsonContext.Default.WireCountRequest),
            QdrantJsonContext.Default.WireEnvelopeWireCountResult, cancellationToken);
        return result.Count;
    }

    private async Task<List<string>> FacetAsync(string key, CancellationToken cancellationToken)
    {
        var result = await _client.CallAsync(HttpMethod.Post, _collectionPath + "/facet",
            QdrantRestClient.Serialize(new WireFacetRequest(key, FacetLimit, null, Exact: false), QdrantJsonContext.Default.WireFacetRequest),
            QdrantJsonContext.Default.WireEnvelopeWireFacetResult, cancellationToken);
        // Sources are one source whatever their case, as in filters; the ordinally first spelling names it.
        return result.Hits
            .Where(h => h.Value.ValueKind == JsonValueKind.String && h.Count > 0)
            .Select(h => h.Value.GetString()!)
            .Order(StringComparer.Ordinal)
            .DistinctBy(QdrantFilters.SourceKey, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<DateTimeOffset?> EdgePublishedAsync(string direction, CancellationToken cancellationToken)
    {
        var request = new WireScrollRequest(
            new WireFilter(MustNot: [WireCondition.Empty(QdrantSchema.Published)]),
            Limit: 1,
            Offset: null,
            WithPayload: [QdrantSchema.Published],
            WithVector: false,
            OrderBy: new WireOrderBy(QdrantSchema.Published, direction));
        var page = await _client.CallAsync(HttpMethod.Post, _collectionPath + "/points/scroll",
            QdrantRestClient.Serialize(request, QdrantJsonContext.Default.WireScrollRequest), QdrantJsonContext.Default.WireEnvelopeWireScrollResult, cancellationToken);
        return page.Points.FirstOrDefault()?.Payload?.Published is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
    }

    private async Task<string?> TryGetVersionAsync(CancellationToken cancellationToken)
    {
        var reply = await _client.SendAsync(HttpMethod.Get, "", null, cancellationToken);
        if ((int)reply.Status is < 200 or >= 300)
            return null;
        try
        {
            return JsonSerializer.Deserialize(reply.Body, QdrantJsonContext.Default.WireVersionInfo)?.Version;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static float Cosine(ReadOnlySpan<float> query, float[]? vector)
    {
        if (vector is null || vector.Length != query.Length || query.Length == 0)
            return 0;
        var similarity = TensorPrimitives.CosineSimilarity(query, vector);
        return float.IsFinite(similarity) ? similarity : 0;
    }

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the Qdrant collection {Collection} for {Embedder}")]
    private static partial void LogCollectionCreated(ILogger logger, string collection, string embedder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Qdrant collection {Collection} does not record its embedder; recording {Embedder} (servers before 1.16 cannot, and only the vector size is checked)")]
    private static partial void LogEmbedderNotRecorded(ILogger logger, string collection, string embedder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Qdrant collection {Collection} indexes {Field} as {Actual}, NewsBot expects {Expected}; filters on it may be slow or fail")]
    private static partial void LogPayloadIndexType(ILogger logger, string collection, string field, string actual, string expected);
}
