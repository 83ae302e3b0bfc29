using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// A message's place in the ring's total order, comparable across configurations: the ring's
/// <see cref="MessagePosition"/> without the configuration's representative, which tokens and
/// watermarks do not carry (one node installs one configuration per sequence).
/// </summary>
internal readonly record struct RingPosition(ulong Ring, long Sequence, int Index) : IComparable<RingPosition>
{
    public static RingPosition From(MessagePosition position) => new(position.Ring.Sequence, position.Sequence, position.Index);

    /// <summary>Ordered by the ring's own <see cref="MessagePosition"/> order (the representative left out on both sides).</summary>
    public int CompareTo(RingPosition other) => AsMessagePosition.CompareTo(other.AsMessagePosition);

    public static bool operator <(RingPosition left, RingPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(RingPosition left, RingPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(RingPosition left, RingPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(RingPosition left, RingPosition right) => left.CompareTo(right) >= 0;

    private MessagePosition AsMessagePosition => new(new RingId(NodeId.None, Ring), Sequence, Index);

    public SpreadSequenceToken ToToken(int eventIndex = 0) => new(Ring, Sequence, Index, eventIndex);

    public override string ToString() => $"{Ring}:{Sequence}.{Index}";
}
