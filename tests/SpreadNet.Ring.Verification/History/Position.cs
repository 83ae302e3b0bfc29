namespace SpreadNet.Ring.Verification;

/// <summary>
/// A message's place in the total order: the ring that ordered it, the packet's sequence number and
/// the index inside the packet. Rings are ordered by their sequence number, which only grows.
/// </summary>
internal readonly record struct Position(RingId Ring, long Sequence, int Index) : IComparable<Position>
{
    public static Position Of(Delivered d) => new(d.Ring, d.Sequence, d.Index);

    public static Position Of(SpreadNet.Ring.Groups.MessagePosition p) => new(p.Ring, p.Sequence, p.Index);

    public int CompareTo(Position other)
    {
        int byRing = Ring.Sequence.CompareTo(other.Ring.Sequence);
        if (byRing != 0)
        {
            return byRing;
        }

        int bySeq = Sequence.CompareTo(other.Sequence);
        return bySeq != 0 ? bySeq : Index.CompareTo(other.Index);
    }

    public override string ToString() => $"({Ring}, {Sequence}, {Index})";
}
