namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The <c>k</c> best (score, slot) pairs seen so far, kept in a min-heap so that a scan over every passage costs one
/// comparison per passage that does not make the cut. Ties keep the earlier slot, which makes results reproducible.
/// </summary>
internal sealed class TopK
{
    private readonly float[] _scores;
    private readonly int[] _slots;
    private int _count;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(k);
        _scores = new float[k];
        _slots = new int[k];
    }

    public int Count => _count;

    public int Capacity => _scores.Length;

    /// <summary>The score a new item must beat to enter, or negative infinity while there is room.</summary>
    public float Threshold => _count < _scores.Length ? float.NegativeInfinity : _scores[0];

    public void Add(float score, int slot)
    {
        if (_count < _scores.Length)
        {
            var i = _count++;
            _scores[i] = score;
            _slots[i] = slot;
            SiftUp(i);
        }
        else if (IsBetter(score, slot, _scores[0], _slots[0]))
        {
            _scores[0] = score;
            _slots[0] = slot;
            SiftDown(0);
        }
    }

    /// <summary>The items best first; empties the heap.</summary>
    public (float Score, int Slot)[] Drain()
    {
        var result = new (float Score, int Slot)[_count];
        for (var i = _count - 1; i >= 0; i--)
        {
            result[i] = (_scores[0], _slots[0]);
            _count--;
            if (_count > 0)
            {
                _scores[0] = _scores[_count];
                _slots[0] = _slots[_count];
                SiftDown(0);
            }
        }
        return result;
    }

    // The heap's root is the worst item: lowest score, and among equal scores the highest slot.
    private static bool IsBetter(float score, int slot, float otherScore, int otherSlot) =>
        score > otherScore || (score == otherScore && slot < otherSlot);

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!IsBetter(_scores[parent], _slots[parent], _scores[i], _slots[i]))
                break;
            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= _count)
                break;
            var worst = left;
            var right = left + 1;
            if (right < _count && IsBetter(_scores[left], _slots[left], _scores[right], _slots[right]))
                worst = right;
            if (!IsBetter(_scores[i], _slots[i], _scores[worst], _slots[worst]))
                break;
            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_slots[a], _slots[b]) = (_slots[b], _slots[a]);
    }
}
