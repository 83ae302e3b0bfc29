namespace SpreadNet.Ring.Wire;

/// <summary>
/// The packet counters seen from one transmitter: the highest, and a bitmap of the
/// <see cref="Width"/> below it (RFC 6479's sliding window, as IPsec and DTLS keep it). A counter
/// is accepted once; one at or below <c>highest - Width</c> is refused, since whether it was seen
/// is no longer known. Not thread-safe.
/// </summary>
internal sealed class ReplayWindow
{
    /// <summary>
    /// Counters below the highest that are still told apart. Far more than UDP reorders between
    /// two nodes of a LAN ring (a token visit sends at most MaxPacketsPerVisit packets).
    /// </summary>
    public const int Width = 1024;

    private const int Mask = Width - 1;

    private readonly ulong[] _bits = new ulong[Width / 64];
    private ulong _highest;
    private bool _started;

    /// <summary>The highest counter accepted (0 before the first).</summary>
    public ulong Highest => _highest;

    /// <summary>Whether <paramref name="counter"/> would be accepted; changes nothing.</summary>
    public bool IsFresh(ulong counter)
    {
        if (!_started || counter > _highest)
        {
            return true;
        }

        if (_highest - counter >= Width)
        {
            return false;
        }

        int bit = (int)(counter & Mask);
        return (_bits[bit >> 6] & (1UL << bit)) == 0;
    }

    /// <summary>Accepts <paramref name="counter"/> if it is fresh and remembers it; false for a replay.</summary>
    public bool TryAccept(ulong counter)
    {
        if (!IsFresh(counter))
        {
            return false;
        }

        if (!_started || (counter > _highest && counter - _highest >= Width))
        {
            Array.Clear(_bits);
            _highest = counter;
            _started = true;
        }
        else if (counter > _highest)
        {
            ClearAbove(_highest, counter);
            _highest = counter;
        }

        int bit = (int)(counter & Mask);
        _bits[bit >> 6] |= 1UL << bit;
        return true;
    }

    /// <summary>Forgets the counters that shared bit positions with the ones in (from, to].</summary>
    private void ClearAbove(ulong from, ulong to)
    {
        ulong next = from + 1;
        while (next <= to)
        {
            int bit = (int)(next & Mask);
            int inWord = Math.Min(64 - (bit & 63), (int)Math.Min(to - next + 1, 64));
            ulong mask = inWord == 64 ? ulong.MaxValue : ((1UL << inWord) - 1) << (bit & 63);
            _bits[bit >> 6] &= ~mask;
            next += (ulong)inWord;
        }
    }
}
