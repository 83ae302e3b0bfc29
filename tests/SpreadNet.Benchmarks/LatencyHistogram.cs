using System.Numerics;

namespace SpreadNet.Benchmarks;

/// <summary>
/// A fixed-size log-linear histogram of durations in nanoseconds (HdrHistogram's layout with 128
/// sub-buckets: under 1 % error). Recording never allocates. One writer thread; read it after the
/// writer has published its last record (for instance through a volatile counter).
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBucketCount = 1 << SubBucketBits;
    private const int HalfCount = SubBucketCount / 2;
    private const int MaxShift = 40;

    private readonly long[] _counts = new long[SubBucketCount + (MaxShift * HalfCount)];
    private long _max;

    public long Count { get; private set; }

    public void RecordNanos(long nanos)
    {
        nanos = Math.Max(0, nanos);
        _counts[IndexOf(nanos)]++;
        Count++;
        if (nanos > _max)
        {
            _max = nanos;
        }
    }

    public void Add(LatencyHistogram other)
    {
        for (int i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        _max = Math.Max(_max, other._max);
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        _max = 0;
    }

    /// <summary>The value at <paramref name="percentile"/> (0-100) in microseconds, or null when empty.</summary>
    public double? PercentileMicros(double percentile)
    {
        if (Count == 0)
        {
            return null;
        }

        long target = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (int i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= target)
            {
                return Math.Min(HighestEquivalent(i), _max) / 1000.0;
            }
        }

        return _max / 1000.0;
    }

    public double? MaxMicros => Count == 0 ? null : _max / 1000.0;

    private static int IndexOf(long value)
    {
        if (value < SubBucketCount)
        {
            return (int)value;
        }

        int msb = 63 - BitOperations.LeadingZeroCount((ulong)value);
        int shift = msb - (SubBucketBits - 1);
        if (shift > MaxShift)
        {
            return SubBucketCount + (MaxShift * HalfCount) - 1;
        }

        return SubBucketCount + ((shift - 1) * HalfCount) + (int)(value >> shift) - HalfCount;
    }

    private static long HighestEquivalent(int index)
    {
        if (index < SubBucketCount)
        {
            return index;
        }

        int shift = ((index - SubBucketCount) / HalfCount) + 1;
        long sub = ((index - SubBucketCount) % HalfCount) + HalfCount;
        return ((sub + 1) << shift) - 1;
    }
}
