using SpreadNet.Ring.Groups;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>A message's place in the ring's total order, comparable across configurations.</summary>
internal readonly record struct RingPosition(ulong Ring, long Sequence, int Index) : IComparable<RingPosition>
{
    public static RingPosition From(MessagePosition position) => new(position.Ring.Sequence, position.Sequence, position.Index);

    public int CompareTo(RingPosition other)
    {
        int c = Ring.CompareTo(other.Ring);
        if (c == 0)
        {
            c = Sequence.CompareTo(other.Sequence);
        }

        return c != 0 ? c : Index.CompareTo(other.Index);
    }

    public static bool operator <(RingPosition left, RingPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(RingPosition left, RingPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(RingPosition left, RingPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RingPosition left, RingPosition right) => left.CompareTo(right) >= 0;

    public SpreadSequenceToken ToToken(int eventIndex = 0) => new(Ring, Sequence, Index, eventIndex);

    public override string ToString() => $"{Ring}:{Sequence}.{Index}";
}
