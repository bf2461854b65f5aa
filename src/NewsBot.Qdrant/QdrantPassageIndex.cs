using System.Globalization;
using System.Numerics.Tensors;
using Grpc.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Core.Indexing;
using NewsBot.Core.Passages;
using Qdrant.Client;
using Qdrant.Client.Grpc;

namespace NewsBot.Qdrant;

/// <summary>
/// The passage index in a Qdrant collection, through the official <see cref="QdrantClient"/> over gRPC (port 6334).
/// One point per passage: a named dense vector <c>dense</c> (cosine), a named sparse vector <c>lexical</c> (BM25
/// through the <c>idf</c> modifier, built from Core's <see cref="PassageTerms"/>), and the passage with its article's
/// fields as payload. A search is one <c>QueryBatch</c> call carrying the dense and the sparse query.
/// </summary>
public sealed partial class QdrantPassageIndex : IPassageIndex, IDisposable
{
    private const ulong FacetLimit = 100_000;

    /// <summary>What a user does about an embedder mismatch in a Qdrant collection.</summary>
    private const string MismatchRemedy =
        "Re-ingest into a new collection (set Qdrant:Collection to a new name, or delete the collection), or configure the embedder it was built with.";

    private readonly QdrantOptions _options;
    private readonly QdrantClient _client;
    private readonly QdrantCalls _calls;
    private readonly ILogger _logger;
    private readonly string _url;
    private EmbedderDescriptor? _embedder;

    /// <param name="options">The <c>Qdrant</c> section; checked with <see cref="QdrantOptions.Validate"/>.</param>
    /// <param name="timeProvider">Clock for retry delays; null is the system clock.</param>
    public QdrantPassageIndex(QdrantOptions options, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        _options = options;
        loggerFactory ??= NullLoggerFactory.Instance;
        _logger = loggerFactory.CreateLogger<QdrantPassageIndex>();
        var address = new Uri(options.Url, UriKind.Absolute);
        _url = address.GetLeftPart(UriPartial.Authority);
        // The client sets each call's deadline from grpcTimeout and sends the key as the api-key metadata. It gets no
        // logger: it logs every failed call with its stack trace at error level, and QdrantCalls already reports each
        // failure as one line (and each retry at debug level).
        _client = new QdrantClient(address, string.IsNullOrEmpty(options.ApiKey) ? null : options.ApiKey, TimeSpan.FromSeconds(options.TimeoutSeconds), NullLoggerFactory.Instance);
        _calls = new QdrantCalls(options, _url, timeProvider ?? TimeProvider.System, _logger);
    }

    public string Location => $"{_url} (collection {_options.Collection})";

    /// <summary>Points per scroll page when reading article states; small in tests to exercise paging.</summary>
    internal uint ScrollPageSize { get; init; } = 1000;

    private string Collection => _options.Collection;

    public async Task InitializeAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var info = await TryGetCollectionAsync(cancellationToken);
        if (info is null)
        {
            await CreateCollectionAsync(embedder, cancellationToken);
            info = await TryGetCollectionAsync(cancellationToken)
                ?? throw new IndexUnavailableException($"Qdrant at {_url} created the collection '{Collection}' but does not find it.");
        }

        if (!CheckSchema(info, embedder))
        {
            // Created by another tool, or by a server older than 1.16 that has no collection metadata: the vectors fit,
            // so record the embedder now (an older server ignores this and only size and distance can be checked).
            LogEmbedderNotRecorded(_logger, Collection, embedder.ToString());
            await _calls.RunAsync(token => _client.UpdateCollectionAsync(Collection, metadata: Metadata(embedder), cancellationToken: token),
                "record the embedder in the collection", cancellationToken);
        }

        await EnsurePayloadIndexesAsync(info, cancellationToken);
        _embedder = embedder;
    }

    /// <summary>Checks an existing collection without creating it, recording metadata or adding payload indexes.</summary>
    public async Task OpenForReadingAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        var info = await TryGetCollectionAsync(cancellationToken)
            ?? throw new IndexNotFoundException($"The Qdrant collection '{Collection}' does not exist at {_url}. Run: newsbot ingest <path> (with Index:Provider=qdrant), or check Qdrant:Collection.");
        CheckSchema(info, embedder);
        _embedder = embedder;
    }

    public async Task<IReadOnlyDictionary<string, IndexedArticleState>> GetArticleStatesAsync(CancellationToken cancellationToken)
    {
        var states = new Dictionary<string, IndexedArticleState>(StringComparer.Ordinal);
        var filter = QdrantFilters.Heads();
        var fields = new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { QdrantSchema.ArticleId, QdrantSchema.ContentHash, QdrantSchema.Origin } } };
        PointId? offset = null;
        do
        {
            var page = await _calls.RunAsync(token => _client.ScrollAsync(Collection, filter, ScrollPageSize, offset, fields, cancellationToken: token),
                "read the articles", cancellationToken);
            foreach (var point in page.Result)
            {
                if (QdrantPayload.Text(point.Payload, QdrantSchema.ArticleId) is { } articleId && QdrantPayload.Text(point.Payload, QdrantSchema.ContentHash) is { } hash)
                    states.TryAdd(articleId, new IndexedArticleState(articleId, hash, QdrantPayload.Text(point.Payload, QdrantSchema.Origin)));
            }
            offset = page.NextPageOffset;
        }
        while (offset is not null);
        return states;
    }

    /// <remarks>
    /// The article's passages other than the first are written first, then its stale points (another content hash) are
    /// deleted by filter, and the first passage, which carries the <c>head</c> marker read by
    /// <see cref="GetArticleStatesAsync"/>, is written last. A crash anywhere in between leaves the article searchable
    /// and its recorded hash unchanged, so the next ingest sees it as changed and completes the replacement.
    /// </remarks>
    public async Task UpsertAsync(IndexedArticle article, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(article);
        if (article.Passages.Count != article.Vectors.Count || article.Passages.Count != article.Terms.Count)
            throw new ArgumentException($"Article '{article.Article.Id}' has {article.Passages.Count} passages but {article.Vectors.Count} vectors and {article.Terms.Count} term lists.", nameof(article));
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
            await DeleteByFilterAsync(QdrantFilters.ArticleIs(articleId), cancellationToken);
            return;
        }

        var points = new List<PointStruct>(article.Passages.Count);
        for (var i = 0; i < article.Passages.Count; i++)
            points.Add(QdrantPayload.ToPoint(article, i));
        var head = points[0];

        for (var start = 1; start < points.Count; start += _options.BatchSize)
            await UpsertPointsAsync(points.GetRange(start, Math.Min(_options.BatchSize, points.Count - start)), cancellationToken);

        var stale = QdrantFilters.ArticleIs(articleId);
        stale.MustNot.Add(Conditions.MatchKeyword(QdrantSchema.ContentHash, article.ContentHash));
        stale.MustNot.Add(Conditions.HasId(Guid.Parse(head.Id.Uuid)));
        await DeleteByFilterAsync(stale, cancellationToken);

        await UpsertPointsAsync([head], cancellationToken);
    }

    public async Task DeleteAsync(IReadOnlyCollection<string> articleIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(articleIds);
        var ids = articleIds.Where(id => id is not null).Distinct(StringComparer.Ordinal).ToList();
        for (var start = 0; start < ids.Count; start += _options.BatchSize)
            await DeleteByFilterAsync(QdrantFilters.ArticleIn(ids.GetRange(start, Math.Min(_options.BatchSize, ids.Count - start))), cancellationToken);
    }

    /// <remarks>
    /// One <c>QueryBatch</c> call: a nearest-neighbour query on the dense vector and one on the sparse vector, each
    /// with the same filter and <see cref="PassageQuery.Depth"/> as its limit. Qdrant returns the two ranked lists with
    /// their raw scores (cosine; BM25 through the idf modifier), which Core fuses.
    /// </remarks>
    public async Task<CandidateLists> SearchAsync(PassageQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Depth <= 0)
            return CandidateLists.Empty;
        var filter = QdrantFilters.For(query.Filter ?? PassageFilter.None);
        // An all-zero vector has no cosine with anything (and MaxMagnitude keeps the sign, hence != 0).
        var useDense = !query.Vector.IsEmpty && TensorPrimitives.MaxMagnitude(query.Vector.Span) != 0;
        var (indices, values) = LexicalVector.ForQuery(query.Terms ?? []);
        var useLexical = indices.Length > 0;
        if (!useDense && !useLexical)
            return CandidateLists.Empty;

        var queries = new List<QueryPoints>(2);
        if (useDense)
            queries.Add(Query(new Query { Nearest = new VectorInput { Dense = new DenseVector { Data = { query.Vector.ToArray() } } } }, QdrantSchema.DenseVector));
        if (useLexical)
            queries.Add(Query(new Query { Nearest = new VectorInput { Sparse = new SparseVector { Indices = { indices }, Values = { values } } } }, QdrantSchema.LexicalVector));

        var results = await _calls.RunAsync(token => _client.QueryBatchAsync(Collection, queries, cancellationToken: token), "search", cancellationToken);
        if (results.Count != queries.Count)
            throw new IndexUnavailableException($"Qdrant at {_url} answered a search of {queries.Count} queries with {results.Count} result lists.");
        var dense = useDense ? Ranked(results[0].Result) : [];
        var lexical = useLexical ? Ranked(results[^1].Result) : [];
        return new CandidateLists(dense, lexical);

        QueryPoints Query(Query nearest, string vector)
        {
            var points = new QueryPoints
            {
                CollectionName = Collection,
                Query = nearest,
                Using = vector,
                Limit = (ulong)query.Depth,
                WithPayload = new WithPayloadSelector { Enable = true },
            };
            if (filter is not null)
                points.Filter = filter;
            return points;
        }
    }

    public async Task<IndexStatistics> GetStatisticsAsync(CancellationToken cancellationToken)
    {
        var info = await TryGetCollectionAsync(cancellationToken)
            ?? throw new IndexUnavailableException($"The Qdrant collection '{Collection}' does not exist at {_url}. Run 'newsbot ingest' first, or check Qdrant:Collection.");
        var passages = await CountAsync(null, cancellationToken);
        var articles = await CountAsync(QdrantFilters.Heads(), cancellationToken);
        var sources = passages == 0 ? [] : await FacetSourcesAsync(cancellationToken);
        var oldest = passages == 0 ? null : await EdgePublishedAsync(Direction.Asc, cancellationToken);
        var newest = passages == 0 ? null : await EdgePublishedAsync(Direction.Desc, cancellationToken);

        var parameters = info.Config?.Params;
        var details = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Collection"] = Collection,
            ["Status"] = info.Status.ToString(),
            ["Optimizer"] = info.OptimizerStatus is { } optimizer ? (optimizer.Ok ? "ok" : "error: " + optimizer.Error) : "unknown",
            ["Points"] = Number(info.HasPointsCount ? (long)info.PointsCount : null),
            ["Indexed vectors"] = Number(info.HasIndexedVectorsCount ? (long)info.IndexedVectorsCount : null),
            ["Segments"] = Number((long)info.SegmentsCount),
            ["Shards"] = Number(parameters?.ShardNumber ?? 1),
            ["Replication factor"] = Number(parameters is { HasReplicationFactor: true } ? parameters.ReplicationFactor : 1),
            ["Write consistency factor"] = Number(parameters is { HasWriteConsistencyFactor: true } ? parameters.WriteConsistencyFactor : 1),
        };
        if (DenseParams(parameters) is { } dense)
            details["Dense vector"] = $"{QdrantSchema.DenseVector}: {Number((long)dense.Size)} dimensions, {dense.Distance}, memory {(dense.HasMemory ? dense.Memory.ToString() : "server default")}";
        if (SparseParams(parameters) is { } lexical)
            details["Lexical vector"] = $"{QdrantSchema.LexicalVector}: sparse, modifier {(lexical.HasModifier ? lexical.Modifier.ToString() : "none")}, memory {(lexical.Index is { HasMemory: true } index ? index.Memory.ToString() : "server default")}";
        if (parameters?.Payload is { HasMemory: true } payload)
            details["Payload memory"] = payload.Memory.ToString();
        if (info.PayloadSchema.Count > 0)
            details["Payload indexes"] = string.Join(", ", info.PayloadSchema.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} ({p.Value.DataType})"));
        if (await TryGetVersionAsync(cancellationToken) is { } version)
            details["Qdrant version"] = version;

        var recorded = QdrantSchema.ReadMetadata(info);
        var embedder = recorded ?? (DenseParams(parameters) is { } d ? new EmbedderDescriptor("unknown embedder", (int)d.Size) : null);
        return new IndexStatistics(Location, articles, passages, sources.Count, oldest, newest, embedder, details);
    }

    public Task<long> CountPassagesAsync(CancellationToken cancellationToken) => CountAsync(null, cancellationToken);

    /// <summary>Article counts from a facet over the articles' head points; each source's date range from two ordered scrolls.</summary>
    public async Task<IReadOnlyList<SourceSummary>> GetSourceSummariesAsync(CancellationToken cancellationToken)
    {
        var facet = await _calls.RunAsync(token => _client.FacetAsync(Collection, QdrantSchema.SourceKey, QdrantFilters.Heads(), limit: FacetLimit, exact: true, cancellationToken: token),
            "count the articles per source", cancellationToken);
        var names = await FacetSourcesAsync(cancellationToken);
        var summaries = new List<SourceSummary>();
        foreach (var hit in facet.Hits.Where(h => h.Value?.VariantCase == FacetValue.VariantOneofCase.StringValue))
        {
            var key = hit.Value.StringValue;
            var filter = QdrantFilters.For(new PassageFilter { Sources = [key] })!;
            var oldest = await EdgePublishedAsync(Direction.Asc, cancellationToken, filter);
            var newest = await EdgePublishedAsync(Direction.Desc, cancellationToken, filter);
            var name = names.FirstOrDefault(n => QdrantFilters.SourceKey(n) == key) ?? key;
            summaries.Add(new SourceSummary(name, (long)hit.Count, oldest, newest));
        }
        summaries.Sort((a, b) => StringComparer.OrdinalIgnoreCase.Compare(a.Name, b.Name));
        return summaries;
    }

    public async Task<IReadOnlyList<string>> GetSourcesAsync(string? prefix, int limit, CancellationToken cancellationToken)
    {
        if (limit <= 0)
            return [];
        var sources = await FacetSourcesAsync(cancellationToken);
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

    private static List<RankedPassage> Ranked(IEnumerable<ScoredPoint> points)
    {
        var list = new List<RankedPassage>();
        foreach (var point in points)
        {
            if (QdrantPayload.ToPassage(point.Payload) is { } passage)
                list.Add(new RankedPassage(passage, point.Score));
        }
        return list;
    }

    private async Task<CollectionInfo?> TryGetCollectionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _calls.RunAsync(token => _client.GetCollectionInfoAsync(Collection, token), $"read the collection '{Collection}'", cancellationToken);
        }
        catch (IndexUnavailableException e) when (e.InnerException is RpcException { StatusCode: StatusCode.NotFound })
        {
            return null;
        }
    }

    private async Task CreateCollectionAsync(EmbedderDescriptor embedder, CancellationToken cancellationToken)
    {
        var create = new CreateCollection
        {
            CollectionName = Collection,
            VectorsConfig = new VectorsConfig
            {
                ParamsMap = new VectorParamsMap
                {
                    Map = { [QdrantSchema.DenseVector] = WithMemory(new VectorParams { Size = (ulong)embedder.Dimensions, Distance = Distance.Cosine }) },
                },
            },
            SparseVectorsConfig = new SparseVectorConfig
            {
                Map = { [QdrantSchema.LexicalVector] = SparseWithMemory(new SparseVectorParams { Modifier = Modifier.Idf }) },
            },
            Timeout = (ulong)_options.TimeoutSeconds,
        };
        create.Metadata.Add(Metadata(embedder));
        if (_options.ShardNumber is { } shards)
            create.ShardNumber = (uint)shards;
        if (_options.ReplicationFactor is { } replicas)
            create.ReplicationFactor = (uint)replicas;
        if (_options.WriteConsistencyFactor is { } consistency)
            create.WriteConsistencyFactor = (uint)consistency;
        if (MemoryPlacement is { } memory)
            create.Payload = new PayloadStorageParams { Memory = memory == Memory.Pinned ? Memory.Cached : memory };
        try
        {
            await _calls.RunAsync(token => _client.CreateCollectionAsync(create, token), $"create the collection '{Collection}'", cancellationToken);
        }
        catch (IndexUnavailableException e) when (e.InnerException is RpcException { StatusCode: StatusCode.AlreadyExists })
        {
            // Another process, or our own retried call, created it first; the schema check follows.
            return;
        }
        LogCollectionCreated(_logger, Collection, embedder.ToString());
    }

    private Memory? MemoryPlacement => _options.Memory is { } text ? Enum.Parse<Memory>(text, ignoreCase: true) : null;

    private VectorParams WithMemory(VectorParams parameters)
    {
        // Qdrant does not pin dense vector storage; Cached is the closest placement.
        if (MemoryPlacement is { } memory)
            parameters.Memory = memory == Memory.Pinned ? Memory.Cached : memory;
        return parameters;
    }

    private SparseVectorParams SparseWithMemory(SparseVectorParams parameters)
    {
        if (MemoryPlacement is { } memory)
            parameters.Index = new SparseIndexConfig { Memory = memory };
        return parameters;
    }

    private static Dictionary<string, Value> Metadata(EmbedderDescriptor embedder) => new()
    {
        [QdrantSchema.MetadataKey] = new Dictionary<string, Value>
        {
            ["embedder"] = embedder.Name,
            ["dimensions"] = (long)embedder.Dimensions,
            ["distance"] = QdrantSchema.Distance,
            ["lexical"] = LexicalVector.Encoding,
            ["schema"] = (long)QdrantSchema.SchemaVersion,
        },
    };

    /// <summary>Throws when the collection cannot hold this embedder's passages; returns whether NewsBot's metadata is recorded in it.</summary>
    private bool CheckSchema(CollectionInfo info, EmbedderDescriptor embedder)
    {
        var parameters = info.Config?.Params;
        var recorded = QdrantSchema.ReadMetadata(info);
        if (DenseParams(parameters) is not { } dense)
        {
            throw Mismatch($"has no named dense vector '{QdrantSchema.DenseVector}' (its vectors are {Describe(parameters?.VectorsConfig)})",
                $"NewsBot needs '{QdrantSchema.DenseVector}' with {embedder.Dimensions} dimensions, {QdrantSchema.Distance}");
        }
        var existing = recorded ?? new EmbedderDescriptor("an unrecorded embedder", (int)dense.Size);
        if ((int)dense.Size != embedder.Dimensions)
            throw new IndexMismatchException(MismatchLocation, existing, embedder, MismatchRemedy);
        if (dense.Distance != Distance.Cosine)
            throw Mismatch($"compares vectors by {dense.Distance} distance", $"NewsBot needs {QdrantSchema.Distance}");
        if (SparseParams(parameters) is not { } sparse)
            throw Mismatch($"has no sparse vector '{QdrantSchema.LexicalVector}'", $"NewsBot needs '{QdrantSchema.LexicalVector}' with the idf modifier for lexical search");
        if (!sparse.HasModifier || sparse.Modifier != Modifier.Idf)
            throw Mismatch($"has the sparse vector '{QdrantSchema.LexicalVector}' with modifier {(sparse.HasModifier ? sparse.Modifier.ToString() : "none")}", "NewsBot needs modifier idf");
        if (recorded is null)
            return false;
        if (recorded != embedder)
            throw new IndexMismatchException(MismatchLocation, recorded, embedder, MismatchRemedy);
        if (QdrantSchema.ReadLayout(info) is var (lexical, schema) && (lexical != LexicalVector.Encoding || schema != QdrantSchema.SchemaVersion))
        {
            throw Mismatch($"was written with lexical encoding {lexical} and layout {schema}",
                $"this NewsBot writes {LexicalVector.Encoding} and layout {QdrantSchema.SchemaVersion}");
        }
        return true;
    }

    private string MismatchLocation => $"{_url}, collection '{Collection}'";

    private IndexMismatchException Mismatch(string existing, string configured) => new(
        $"The Qdrant collection '{Collection}' at {_url} {existing}, but {configured}. " +
        $"Re-ingest into a new collection (set Qdrant:Collection to a new name, or delete '{Collection}'), or configure the embedder it was built with.");

    private static VectorParams? DenseParams(CollectionParams? parameters) =>
        parameters?.VectorsConfig is { ParamsMap: { } map } && map.Map.TryGetValue(QdrantSchema.DenseVector, out var dense) ? dense : null;

    private static SparseVectorParams? SparseParams(CollectionParams? parameters) =>
        parameters?.SparseVectorsConfig is { } sparse && sparse.Map.TryGetValue(QdrantSchema.LexicalVector, out var lexical) ? lexical : null;

    private static string Describe(VectorsConfig? vectors) => vectors switch
    {
        { ConfigCase: VectorsConfig.ConfigOneofCase.Params } v => $"one unnamed vector of size {v.Params.Size}",
        { ConfigCase: VectorsConfig.ConfigOneofCase.ParamsMap } v => "named " + string.Join(", ", v.ParamsMap.Map.Keys.Select(k => $"'{k}'")),
        _ => "none",
    };

    private async Task EnsurePayloadIndexesAsync(CollectionInfo info, CancellationToken cancellationToken)
    {
        foreach (var (field, type) in QdrantSchema.PayloadIndexes)
        {
            if (info.PayloadSchema.TryGetValue(field, out var index))
            {
                if (index.DataType != type)
                    LogPayloadIndexType(_logger, Collection, field, index.DataType.ToString(), type.ToString());
                continue;
            }
            await _calls.RunAsync(token => _client.CreatePayloadIndexAsync(Collection, field, type, wait: true, cancellationToken: token),
                $"index the payload field '{field}'", cancellationToken);
        }
    }

    private Task UpsertPointsAsync(IReadOnlyList<PointStruct> points, CancellationToken cancellationToken) =>
        _calls.RunAsync(token => _client.UpsertAsync(Collection, points, wait: true, cancellationToken: token), "write passages", cancellationToken);

    private Task DeleteByFilterAsync(Filter filter, CancellationToken cancellationToken) =>
        _calls.RunAsync(token => _client.DeleteAsync(Collection, filter, wait: true, cancellationToken: token), "delete passages", cancellationToken);

    private async Task<long> CountAsync(Filter? filter, CancellationToken cancellationToken) =>
        (long)await _calls.RunAsync(token => _client.CountAsync(Collection, filter, exact: true, cancellationToken: token), "count passages", cancellationToken);

    private async Task<List<string>> FacetSourcesAsync(CancellationToken cancellationToken)
    {
        var hits = await _calls.RunAsync(token => _client.FacetAsync(Collection, QdrantSchema.Source, limit: FacetLimit, exact: false, cancellationToken: token),
            "list the sources", cancellationToken);
        // Sources are one source whatever their case, as in filters; the ordinally first spelling names it.
        var list = hits.Hits;
        return list
            .Where(h => h.Value?.VariantCase == FacetValue.VariantOneofCase.StringValue && h.Count > 0)
            .Select(h => h.Value.StringValue)
            .Order(StringComparer.Ordinal)
            .DistinctBy(QdrantFilters.SourceKey, StringComparer.Ordinal)
            .ToList();
    }

    private async Task<DateTimeOffset?> EdgePublishedAsync(Direction direction, CancellationToken cancellationToken, Filter? within = null)
    {
        var filter = within?.Clone() ?? new Filter();
        filter.MustNot.Add(Conditions.IsEmpty(QdrantSchema.Published));
        var fields = new WithPayloadSelector { Include = new PayloadIncludeSelector { Fields = { QdrantSchema.Published } } };
        var page = await _calls.RunAsync(token => _client.ScrollAsync(Collection, filter, 1, payloadSelector: fields,
            orderBy: new OrderBy { Key = QdrantSchema.Published, Direction = direction }, cancellationToken: token), "read the publication dates", cancellationToken);
        return page.Result.FirstOrDefault() is { } point && QdrantPayload.Text(point.Payload, QdrantSchema.Published) is { } text
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : null;
    }

    private async Task<string?> TryGetVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            var health = await _client.HealthAsync(cancellationToken);
            return string.IsNullOrEmpty(health.Version) ? null : health.Version;
        }
        catch (RpcException)
        {
            return null;
        }
    }

    private static string Number(long? value) => value?.ToString("N0", CultureInfo.InvariantCulture) ?? "unknown";

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the Qdrant collection {Collection} for {Embedder}")]
    private static partial void LogCollectionCreated(ILogger logger, string collection, string embedder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Qdrant collection {Collection} does not record its embedder; recording {Embedder} (servers before 1.16 cannot, and only the vector size is checked)")]
    private static partial void LogEmbedderNotRecorded(ILogger logger, string collection, string embedder);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The Qdrant collection {Collection} indexes {Field} as {Actual}, NewsBot expects {Expected}; filters on it may be slow or fail")]
    private static partial void LogPayloadIndexType(ILogger logger, string collection, string field, string actual, string expected);
}
