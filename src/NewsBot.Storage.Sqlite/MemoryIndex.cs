using System.Numerics.Tensors;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// What a search reads, held in memory: every passage vector in one contiguous float32 array plus an int8 copy of it,
/// the filter fields (source, publication time) in arrays beside them, and the lexical index. A slot is a passage's
/// position in these arrays; slots are appended, and a removed passage's slot is marked dead rather than reused.
/// </summary>
/// <remarks>
/// <para>
/// The dense search is exact, computed in two passes. The first scans the int8 codes (a quarter of the bytes of the
/// float32 vectors, and memory bandwidth is what bounds the scan) and keeps the passages whose score could be highest
/// given a per-vector bound on the quantisation error. The second computes the float32 cosine of those. If the bounds
/// cannot prove that no passage left out could beat the last one kept, the search falls back to a float32 scan over
/// every vector; with 384-dimension embeddings that is rare.
/// </para>
/// <para>
/// Not thread-safe by itself: <see cref="MemorySnapshot"/> lets any number of searches read at once and makes
/// writes exclusive.
/// </para>
/// </remarks>
internal sealed class MemoryIndex
{
    private const int Dead = -1;
    private const int NoSource = 0;
    private const long Undated = long.MinValue;

    // Slack for float32 rounding in the bounds, far below any difference between scores that matters.
    private const float RoundingSlack = 1e-5f;

    private readonly int _dimensions;
    private readonly short _queryCodeMax;
    private readonly Dictionary<string, int> _sourceIds = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, int[]> _slotsByArticle = [];
    private readonly Dictionary<string, HashSet<long>> _articlesByAuthor = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<long, string[]> _authorsByArticle = [];
    private LexicalIndex? _lexical;
    private LexicalIndex.Builder? _lexicalBuilder;
    private float[] _vectors;
    private sbyte[] _codes;
    private float[] _scales;
    private float[] _errors;
    private long[] _rowids;
    private long[] _articleOfSlot;
    private int[] _sources;
    private long[] _published;
    private int _count;
    private int _dead;
    private long _fallbacks;
    private readonly float[] _scratch;

    /// <param name="termCapacity">One past the largest term id the passages to be loaded can refer to.</param>
    public MemoryIndex(int dimensions, int capacity, int termCapacity)
    {
        _dimensions = dimensions;
        // The int16 query codes are as fine as the int32 accumulators allow: |Σ q·c| ≤ dimensions · 127 · max.
        _queryCodeMax = (short)Math.Clamp(int.MaxValue / (127L * dimensions) - 1, 1, short.MaxValue);
        capacity = Math.Clamp(capacity, 16, Array.MaxLength / dimensions);
        _vectors = new float[capacity * dimensions];
        _codes = new sbyte[capacity * dimensions];
        _scales = new float[capacity];
        _errors = new float[capacity];
        _rowids = new long[capacity];
        _articleOfSlot = new long[capacity];
        _sources = new int[capacity];
        _published = new long[capacity];
        _lexicalBuilder = new LexicalIndex.Builder(termCapacity);
        _scratch = new float[dimensions];
    }

    public int Live => _count - _dead;

    /// <summary>
    /// The largest passage rowid such that every passage up to it that the file holds is in memory: a sync with the
    /// file only needs to read the passages after it.
    /// </summary>
    public long SyncedRowid { get; set; }

    public IEnumerable<long> Articles => _slotsByArticle.Keys;

    public int Slots => _count;

    public int DeadSlots => _dead;

    /// <summary>True once dead slots are a large share: worth reloading to reclaim memory and fix the statistics.</summary>
    public bool IsFragmented => _dead > 4096 && _dead > _count / 3;

    public long Bytes => (long)_vectors.Length * (sizeof(float) + sizeof(sbyte)) + (Lexical.Postings * 5);

    /// <summary>How many dense searches needed the float32 scan over every vector.</summary>
    public long ExactFallbacks => Interlocked.Read(ref _fallbacks);

    private LexicalIndex Lexical => _lexical ?? throw new InvalidOperationException("The lexical index is still being loaded.");

    /// <summary>The load path: passages arrive one at a time in rowid order, and <see cref="CompleteLoad"/> ends it.</summary>
    public int AddLoadedPassage(long rowid, long articleRowid, string? source, DateTimeOffset? published, ReadOnlySpan<float> vector, ReadOnlySpan<byte> terms)
    {
        var slot = AddPassage(rowid, articleRowid, SourceId(source), published?.UtcTicks ?? Undated, vector);
        _lexicalBuilder!.Add(slot, terms);
        return slot;
    }

    public void CompleteLoad(Dictionary<long, List<int>> slotsByArticle)
    {
        foreach (var (article, slots) in slotsByArticle)
            _slotsByArticle[article] = [.. slots];
        _lexical = _lexicalBuilder!.Build(_rowids.Length);
        _lexicalBuilder = null;
    }

    /// <summary>Adds (or replaces) an article's passages. <paramref name="vectors"/> holds one unit vector per passage, back to back.</summary>
    public void AddArticle(long articleRowid, string? source, DateTimeOffset? published, ReadOnlySpan<long> passageRowids, ReadOnlySpan<float> vectors, IReadOnlyList<byte[]> terms)
    {
        RemoveArticle(articleRowid);
        var sourceId = SourceId(source);
        var publishedTicks = published?.UtcTicks ?? Undated;
        var slots = new int[passageRowids.Length];
        for (var i = 0; i < passageRowids.Length; i++)
        {
            slots[i] = AddPassage(passageRowids[i], articleRowid, sourceId, publishedTicks, vectors.Slice(i * _dimensions, _dimensions));
            Lexical.Add(slots[i], terms[i]);
        }
        _slotsByArticle[articleRowid] = slots;
    }

    /// <summary>Records an article's authors, for author filters (replacing what was recorded before).</summary>
    public void SetAuthors(long articleRowid, IReadOnlyList<string> authors)
    {
        ForgetAuthors(articleRowid);
        if (authors.Count == 0)
            return;
        var names = authors.Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        _authorsByArticle[articleRowid] = names;
        foreach (var name in names)
        {
            if (!_articlesByAuthor.TryGetValue(name, out var articles))
                _articlesByAuthor[name] = articles = [];
            articles.Add(articleRowid);
        }
    }

    private void ForgetAuthors(long articleRowid)
    {
        if (!_authorsByArticle.Remove(articleRowid, out var names))
            return;
        foreach (var name in names)
        {
            if (_articlesByAuthor.TryGetValue(name, out var articles) && articles.Remove(articleRowid) && articles.Count == 0)
                _articlesByAuthor.Remove(name);
        }
    }

    public void RemoveArticle(long articleRowid)
    {
        ForgetAuthors(articleRowid);
        if (!_slotsByArticle.Remove(articleRowid, out var slots))
            return;
        foreach (var slot in slots)
        {
            _sources[slot] = Dead;
            _dead++;
        }
    }

    /// <summary>The dense and the lexical candidates, each best first and at most <paramref name="depth"/> long.</summary>
    /// <param name="query">A unit vector.</param>
    /// <param name="terms">The query's term ids (unknown terms left out).</param>
    public (Hit[] Dense, Hit[] Lexical) Search(ReadOnlySpan<float> query, ReadOnlySpan<int> terms, PassageFilter filter, int depth)
    {
        if (depth <= 0 || Compile(filter) is not { } accept)
            return ([], []);

        // A zero vector (an embedder's answer to an empty question) ranks nothing: every cosine would be zero.
        var dense = TensorPrimitives.IndexOfMaxMagnitude(query) is var at && at >= 0 && query[at] != 0
            ? DenseSearch(query, depth, accept)
            : [];
        var lexical = Lexical.Search(terms, depth, _count, accept);
        return (ToHits(dense), ToHits(lexical));
    }

    private Hit[] ToHits((float Score, int Slot)[] ranked)
    {
        var hits = new Hit[ranked.Length];
        for (var i = 0; i < ranked.Length; i++)
            hits[i] = new Hit(_rowids[ranked[i].Slot], ranked[i].Score);
        return hits;
    }

    private (float Score, int Slot)[] DenseSearch(ReadOnlySpan<float> query, int depth, Acceptor accept)
    {
        var (codes, scale, error) = QuantizeQuery(query);
        var shortlist = new TopK(Math.Max(depth * 4, depth + 256));
        if (accept.AcceptsAll && _dead == 0)
            Shortlist(codes, scale, error, shortlist, new AcceptAll());
        else
            Shortlist(codes, scale, error, shortlist, accept);

        // Every slot left out has an upper bound no higher than the last one kept.
        var complete = shortlist.Count < shortlist.Capacity;
        var leftOutBound = shortlist.Threshold;
        var top = new TopK(depth);
        foreach (var (_, slot) in shortlist.Drain())
            top.Add(Cosine(query, slot), slot);
        if (complete || top.Count < depth || leftOutBound < top.Threshold)
            return top.Drain();

        Interlocked.Increment(ref _fallbacks);
        top = new TopK(depth);
        for (var slot = 0; slot < _count; slot++)
        {
            if (accept.Accepts(slot))
                top.Add(Cosine(query, slot), slot);
        }
        return top.Drain();
    }

    /// <summary>Keeps the slots with the highest upper bound on their cosine: integer score plus quantisation error.</summary>
    private void Shortlist<TFilter>(short[] query, float queryScale, float queryError, TopK shortlist, TFilter filter)
        where TFilter : ISlotFilter
    {
        var codes = _codes;
        var scales = _scales;
        var errors = _errors;
        var dimensions = _dimensions;
        var count = _count;
        var errorFactor = 1 + queryError;
        var slack = queryError + RoundingSlack;
        var threshold = float.NegativeInfinity;
        for (var slot = 0; slot < count; slot++)
        {
            if (!filter.Accepts(slot))
                continue;
            var dot = QuantizedDot.Dot(new ReadOnlySpan<sbyte>(codes, slot * dimensions, dimensions), query);
            // |cos − approx| ≤ ‖e_v‖·‖x‖ + ‖v̂‖·‖e_x‖ ≤ e_v + (1 + e_v)·e_x for unit v and x (Cauchy–Schwarz twice).
            var upper = (scales[slot] * queryScale * dot) + (errors[slot] * errorFactor) + slack;
            if (upper > threshold)
            {
                shortlist.Add(upper, slot);
                threshold = shortlist.Threshold;
            }
        }
    }

    private (short[] Codes, float Scale, float Error) QuantizeQuery(ReadOnlySpan<float> query)
    {
        var codes = new short[_dimensions];
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(query));
        if (max == 0)
            return (codes, 0, 0);
        var scale = max / _queryCodeMax;
        var scratch = new float[_dimensions];
        TensorPrimitives.Multiply(query, _queryCodeMax / max, scratch);
        TensorPrimitives.Round(scratch, scratch);
        TensorPrimitives.ConvertSaturating<float, short>(scratch, codes);
        // What the codes miss: query − codes·scale.
        TensorPrimitives.MultiplyAdd(scratch, -scale, query, scratch);
        return (codes, scale, TensorPrimitives.Norm(scratch));
    }

    private float Cosine(ReadOnlySpan<float> query, int slot) =>
        TensorPrimitives.Dot(new ReadOnlySpan<float>(_vectors, slot * _dimensions, _dimensions), query);

    /// <summary>The filter as array look-ups, or null when no passage can pass (an unknown source).</summary>
    private Acceptor? Compile(PassageFilter filter)
    {
        bool[]? sources = null;
        if (filter.Sources is { Count: > 0 })
        {
            sources = new bool[_sourceIds.Count + 1];
            var any = false;
            foreach (var name in filter.Sources)
            {
                if (name is not null && _sourceIds.TryGetValue(name, out var id))
                    any = sources[id] = true;
            }
            if (!any)
                return null;
        }
        HashSet<long>? articles = null;
        if (filter.Authors is { Count: > 0 })
        {
            articles = [];
            foreach (var name in filter.Authors)
            {
                if (name is not null && _articlesByAuthor.TryGetValue(name.Trim(), out var byAuthor))
                    articles.UnionWith(byAuthor);
            }
            if (articles.Count == 0)
                return null;
        }
        var dated = filter.From is not null || filter.To is not null;
        return new Acceptor(
            _sources,
            _published,
            sources,
            _articleOfSlot,
            articles,
            filter.From?.UtcTicks ?? long.MinValue,
            filter.To?.UtcTicks ?? long.MaxValue,
            filter.IncludeUndated || !dated,
            AcceptsAll: sources is null && articles is null && !dated);
    }

    private int AddPassage(long rowid, long articleRowid, int sourceId, long publishedTicks, ReadOnlySpan<float> vector)
    {
        if (_count == _rowids.Length)
            Grow();
        var slot = _count++;
        _rowids[slot] = rowid;
        _articleOfSlot[slot] = articleRowid;
        SyncedRowid = Math.Max(SyncedRowid, rowid);
        _sources[slot] = sourceId;
        _published[slot] = publishedTicks;
        var offset = slot * _dimensions;
        vector.CopyTo(_vectors.AsSpan(offset, _dimensions));
        (_scales[slot], _errors[slot]) = Quantize(vector, _codes.AsSpan(offset, _dimensions));
        return slot;
    }

    /// <summary>Symmetric int8 codes with one scale per vector; returns the scale and the norm of what the codes miss.</summary>
    private (float Scale, float Error) Quantize(ReadOnlySpan<float> vector, Span<sbyte> codes)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (max == 0)
        {
            codes.Clear();
            return (0, 0);
        }
        var scale = max / 127f;
        var scratch = _scratch;
        TensorPrimitives.Multiply(vector, 127f / max, scratch);
        TensorPrimitives.Round(scratch, scratch);
        TensorPrimitives.ConvertSaturating<float, sbyte>(scratch, codes);
        TensorPrimitives.MultiplyAdd(scratch, -scale, vector, scratch);
        return (scale, TensorPrimitives.Norm(scratch));
    }

    private void Grow()
    {
        var capacity = (int)Math.Min(_rowids.Length + Math.Max(_rowids.Length >> 2, 1024L), Array.MaxLength / _dimensions);
        if (capacity <= _rowids.Length)
        {
            throw new InvalidOperationException(
                $"The embedded index holds at most {Array.MaxLength / _dimensions:N0} passages of {_dimensions} dimensions in memory. Use Qdrant for a collection this large.");
        }
        Array.Resize(ref _vectors, capacity * _dimensions);
        Array.Resize(ref _codes, capacity * _dimensions);
        Array.Resize(ref _scales, capacity);
        Array.Resize(ref _errors, capacity);
        Array.Resize(ref _rowids, capacity);
        Array.Resize(ref _articleOfSlot, capacity);
        Array.Resize(ref _sources, capacity);
        Array.Resize(ref _published, capacity);
    }

    private int SourceId(string? source)
    {
        if (source is null)
            return NoSource;
        if (!_sourceIds.TryGetValue(source, out var id))
        {
            id = _sourceIds.Count + 1;
            _sourceIds[source] = id;
        }
        return id;
    }

    /// <summary>A passage in one of the candidate lists: its rowid and raw score (cosine or BM25).</summary>
    internal readonly record struct Hit(long Rowid, float Score);

    private readonly struct AcceptAll : ISlotFilter
    {
        public bool Accepts(int slot) => true;
    }

    /// <summary><see cref="PassageFilter.Matches"/> over the slot arrays.</summary>
    private readonly record struct Acceptor(
        int[] Sources, long[] Published, bool[]? AllowedSources, long[] ArticleOfSlot, HashSet<long>? AllowedArticles, long From, long To, bool IncludeUndated, bool AcceptsAll)
        : ISlotFilter
    {
        public bool Accepts(int slot)
        {
            var source = Sources[slot];
            if (source == Dead || (AllowedSources is not null && !AllowedSources[source]))
                return false;
            if (AllowedArticles is not null && !AllowedArticles.Contains(ArticleOfSlot[slot]))
                return false;
            var published = Published[slot];
            return published == Undated ? IncludeUndated : published >= From && published <= To;
        }
    }
}
