namespace NewsBot.Storage.Sqlite;

/// <summary>
/// A passage's tokens as stored in <c>passages.terms</c>: the token count, then each distinct term id in ascending
/// order as the gap from the previous id, followed by how often it occurs; all LEB128 varints. About 250 bytes for a
/// 900-character passage, against 560 for the tokens as text.
/// </summary>
internal static class TermCounts
{
    /// <summary>Encodes <paramref name="ids"/> (one per token, in any order; sorted in place).</summary>
    public static byte[] Encode(Span<int> ids)
    {
        ids.Sort();
        var buffer = new byte[5 + (ids.Length * 6)];
        var position = Write(buffer, 0, (uint)ids.Length);
        var previous = 0;
        for (var i = 0; i < ids.Length;)
        {
            var id = ids[i];
            var run = 1;
            while (i + run < ids.Length && ids[i + run] == id)
                run++;
            position = Write(buffer, position, (uint)(id - previous));
            position = Write(buffer, position, (uint)run);
            previous = id;
            i += run;
        }
        return buffer.AsSpan(0, position).ToArray();
    }

    /// <summary>Encodes a passage of <paramref name="length"/> tokens holding term <c>ids[i]</c> <c>counts[i]</c> times (ids distinct).</summary>
    public static byte[] Encode(int length, int[] ids, int[] counts)
    {
        Array.Sort(ids, counts);
        var buffer = new byte[5 + (ids.Length * 10)];
        var position = Write(buffer, 0, (uint)length);
        var previous = 0;
        for (var i = 0; i < ids.Length; i++)
        {
            position = Write(buffer, position, (uint)(ids[i] - previous));
            position = Write(buffer, position, (uint)counts[i]);
            previous = ids[i];
        }
        return buffer.AsSpan(0, position).ToArray();
    }

    private static int Write(byte[] buffer, int position, uint value)
    {
        while (value >= 0x80)
        {
            buffer[position++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[position++] = (byte)value;
        return position;
    }

    /// <summary>Reads an encoded passage: <see cref="Length"/> first, then the (term, count) pairs.</summary>
    public ref struct Reader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _position;
        private int _term;

        public Reader(ReadOnlySpan<byte> data)
        {
            _data = data;
            Length = data.IsEmpty ? 0 : (int)ReadVarint();
        }

        /// <summary>The passage's token count.</summary>
        public int Length { get; }

        public bool TryNext(out int term, out int count)
        {
            if (_position >= _data.Length)
            {
                term = count = 0;
                return false;
            }
            _term += (int)ReadVarint();
            term = _term;
            count = (int)ReadVarint();
            return true;
        }

        private uint ReadVarint()
        {
            uint value = 0;
            var shift = 0;
            while (true)
            {
                if (_position >= _data.Length || shift > 28)
                    throw new InvalidDataException("A passage's term list is truncated.");
                var b = _data[_position++];
                value |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                    return value;
                shift += 7;
            }
        }
    }
}
