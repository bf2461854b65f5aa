using System.Buffers;
using NewsBot.Core.Indexing;

namespace NewsBot.Storage.Sqlite;

/// <summary>
/// An in-memory inverted index with BM25 (Core's <see cref="Bm25"/>) over the passages' terms (Core's
/// <see cref="PassageTerms"/>, as term ids). FTS5's own <c>bm25()</c> over an OR of a question's terms took 25–80 ms per question at
/// 160k passages, because it ranks every row holding any of the terms; summing scores over posting arrays in memory
/// takes a millisecond or two.
/// </summary>
/// <remarks>
/// The postings read at load time sit in one compressed-row array (no per-term objects for the collector to trace);
/// postings written later go to small per-term lists beside it. Removed passages stay in the postings and in the
/// collection statistics (document frequencies, average length) and are skipped when results are collected, so the
/// statistics drift a little until the next load, which <see cref="MemoryIndex"/> forces once removals pile up.
/// Not thread-safe for writes; <see cref="MemoryIndex"/> guards it.
/// </remarks>
internal sealed class LexicalIndex
{
    private const float K1 = (float)Bm25.K1;
    private const float B = (float)Bm25.B;

    private readonly int[] _offsets;
    private readonly int[] _slots;
    private readonly byte[] _counts;
    private PostingList?[] _added = [];
    private int[] _lengths;
    private long _totalLength;
    private int _documents;

    private LexicalIndex(int[] offsets, int[] slots, byte[] counts, int[] lengths, long totalLength, int documents)
    {
        _offsets = offsets;
        _slots = slots;
        _counts = counts;
        _lengths = lengths;
        _totalLength = totalLength;
        _documents = documents;
    }

    public long Postings { get; private set; }

    /// <summary>Indexes one more passage (slots only ever grow).</summary>
    public void Add(int slot, ReadOnlySpan<byte> terms)
    {
        if (slot >= _lengths.Length)
            Array.Resize(ref _lengths, Math.Max(slot + 1, _lengths.Length + (_lengths.Length >> 1) + 16));
        var reader = new TermCounts.Reader(terms);
        _lengths[slot] = reader.Length;
        _totalLength += reader.Length;
        _documents++;
        while (reader.TryNext(out var term, out var count))
        {
            if (term >= _added.Length)
                Array.Resize(ref _added, Math.Max(term + 1, _added.Length * 2));
            (_added[term] ??= new PostingList()).Add(slot, count);
            Postings++;
        }
    }

    /// <summary>
    /// The best <paramref name="depth"/> passages by BM25 over <paramref name="terms"/> (term ids), among those
    /// <paramref name="filter"/> accepts; best first.
    /// </summary>
    public (float Score, int Slot)[] Search<TFilter>(ReadOnlySpan<int> terms, int depth, int slotCount, TFilter filter)
        where TFilter : ISlotFilter
    {
        if (_documents == 0 || terms.IsEmpty)
            return [];

        Span<int> seen = stackalloc int[Math.Min(terms.Length, 64)];
        var distinct = 0;
        long postings = 0;
        foreach (var term in terms)
        {
            if (distinct == seen.Length || seen[..distinct].Contains(term) || Frequency(term) == 0)
                continue;
            seen[distinct++] = term;
            postings += Frequency(term);
        }
        if (distinct == 0)
            return [];

        var averageLength = Math.Max((float)_totalLength / _documents, 1f);
        var lengthWeight = K1 * B / averageLength;
        const float Base = K1 * (1 - B);
        var lengths = _lengths;
        var scores = ArrayPool<float>.Shared.Rent(slotCount);
        var touched = ArrayPool<int>.Shared.Rent((int)Math.Min(slotCount, postings));
        var touchedCount = 0;
        try
        {
            // Zero only what this search touches: clearing the whole rented array would cost more than the scoring.
            foreach (var term in seen[..distinct])
            {
                foreach (var slot in BasePostings(term))
                    scores[slot] = 0;
                if (Added(term) is { } added)
                {
                    foreach (var slot in added.Slots.AsSpan(0, added.Count))
                        scores[slot] = 0;
                }
            }

            foreach (var term in seen[..distinct])
            {
                var df = Frequency(term);
                var idf = (float)Bm25.Idf(_documents, df);
                var (start, end) = (_offsets.Length > term + 1 ? _offsets[term] : 0, _offsets.Length > term + 1 ? _offsets[term + 1] : 0);
                touchedCount = Accumulate(_slots.AsSpan(start, end - start), _counts.AsSpan(start, end - start), idf, scores, touched, touchedCount, lengths, lengthWeight, Base);
                if (Added(term) is { } added)
                    touchedCount = Accumulate(added.Slots.AsSpan(0, added.Count), added.Counts.AsSpan(0, added.Count), idf, scores, touched, touchedCount, lengths, lengthWeight, Base);
            }

            var top = new TopK(depth);
            for (var i = 0; i < touchedCount; i++)
            {
                var slot = touched[i];
                var score = scores[slot];
                if (score >= top.Threshold && filter.Accepts(slot))
                    top.Add(score, slot);
            }
            return top.Drain();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(touched);
            ArrayPool<float>.Shared.Return(scores);
        }
    }

    private static int Accumulate(
        ReadOnlySpan<int> slots, ReadOnlySpan<byte> counts, float idf, float[] scores, int[] touched, int touchedCount, int[] lengths, float lengthWeight, float lengthBase)
    {
        for (var i = 0; i < slots.Length; i++)
        {
            var slot = slots[i];
            float tf = counts[i];
            var before = scores[slot];
            if (before == 0)
                touched[touchedCount++] = slot;
            scores[slot] = before + (idf * tf * (K1 + 1) / (tf + lengthBase + (lengthWeight * lengths[slot])));
        }
        return touchedCount;
    }

    private int Frequency(int term) =>
        (term + 1 < _offsets.Length ? _offsets[term + 1] - _offsets[term] : 0) + (Added(term)?.Count ?? 0);

    private ReadOnlySpan<int> BasePostings(int term) =>
        term + 1 < _offsets.Length ? _slots.AsSpan(_offsets[term], _offsets[term + 1] - _offsets[term]) : [];

    private PostingList? Added(int term) => term < _added.Length ? _added[term] : null;

    /// <summary>Collects the passages read at load time, then lays their postings out in one pass per array.</summary>
    public sealed class Builder(int termCapacity)
    {
        private byte[] _data = new byte[1 << 20];
        private int _used;
        private readonly List<(int Slot, int Start, int Length)> _documents = [];

        public void Add(int slot, ReadOnlySpan<byte> terms)
        {
            if (_used + terms.Length > _data.Length)
                Array.Resize(ref _data, Math.Max(_used + terms.Length, _data.Length * 2));
            terms.CopyTo(_data.AsSpan(_used));
            _documents.Add((slot, _used, terms.Length));
            _used += terms.Length;
        }

        public LexicalIndex Build(int slotCapacity)
        {
            var lengths = new int[Math.Max(slotCapacity, 16)];
            var offsets = new int[termCapacity + 1];
            long totalLength = 0;
            long postings = 0;
            foreach (var (slot, start, length) in _documents)
            {
                var reader = new TermCounts.Reader(_data.AsSpan(start, length));
                lengths[slot] = reader.Length;
                totalLength += reader.Length;
                while (reader.TryNext(out var term, out _))
                {
                    if ((uint)term >= (uint)termCapacity)
                        throw new InvalidDataException($"A passage refers to term {term}, which the terms table does not hold.");
                    offsets[term + 1]++;
                    postings++;
                }
            }
            if (postings > Array.MaxLength)
                throw new InvalidOperationException("Too many postings for the embedded index's memory layout; use Qdrant for a collection this large.");
            for (var t = 0; t < termCapacity; t++)
                offsets[t + 1] += offsets[t];

            var slots = new int[postings];
            var counts = new byte[postings];
            var next = offsets.AsSpan(0, termCapacity).ToArray();
            foreach (var (slot, start, length) in _documents)
            {
                var reader = new TermCounts.Reader(_data.AsSpan(start, length));
                while (reader.TryNext(out var term, out var count))
                {
                    var at = next[term]++;
                    slots[at] = slot;
                    // BM25 saturates long before 255 occurrences.
                    counts[at] = (byte)Math.Min(count, byte.MaxValue);
                }
            }
            return new LexicalIndex(offsets, slots, counts, lengths, totalLength, _documents.Count) { Postings = postings };
        }
    }

    private sealed class PostingList
    {
        public int[] Slots = new int[4];
        public byte[] Counts = new byte[4];
        public int Count;

        public void Add(int slot, int count)
        {
            if (Count == Slots.Length)
            {
                Array.Resize(ref Slots, Count * 2);
                Array.Resize(ref Counts, Count * 2);
            }
            Slots[Count] = slot;
            Counts[Count] = (byte)Math.Min(count, byte.MaxValue);
            Count++;
        }
    }
}

/// <summary>Which slots a search may return; a struct so that the check inlines into the scan loops.</summary>
internal interface ISlotFilter
{
    bool Accepts(int slot);
}
