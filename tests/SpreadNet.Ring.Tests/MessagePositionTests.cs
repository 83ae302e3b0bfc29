using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Tests;

public class MessagePositionTests
{
    private static readonly NodeId A = new(1);
    private static readonly NodeId B = new(2);

    [Fact]
    public void CompareTo_LaterConfiguration_ComesAfterWhateverItsPacketSequence()
    {
        var older = new MessagePosition(new RingId(B, 8), 900, 3);
        var newer = new MessagePosition(new RingId(A, 12), 1, 0);

        Assert.True(older < newer);
        Assert.True(newer > older);
        Assert.True(older.CompareTo(newer) < 0);
    }

    [Fact]
    public void CompareTo_OneConfiguration_PacketSequenceThenIndex()
    {
        var ring = new RingId(A, 4);
        MessagePosition[] ordered = [new(ring, 5, 0), new(ring, 5, 1), new(ring, 6, 0)];

        Assert.Equal(ordered, ordered.Reverse().Order());
        Assert.True(ordered[0] <= ordered[1]);
        Assert.True(ordered[2] >= ordered[1]);
    }

    [Fact]
    public void CompareTo_Equal_ZeroAndBothWeakOperatorsHold()
    {
        var position = new MessagePosition(new RingId(A, 4), 5, 2);
        var same = new MessagePosition(new RingId(A, 4), 5, 2);

        Assert.Equal(0, position.CompareTo(same));
        Assert.True(position <= same && position >= same);
        Assert.False(position < same || position > same);
    }

    [Fact]
    public void CompareTo_SameSequenceOtherRepresentative_NonZeroAsEqualityIs()
    {
        var one = new MessagePosition(new RingId(A, 4), 5, 2);
        var other = new MessagePosition(new RingId(B, 4), 5, 2);

        Assert.NotEqual(one, other);
        Assert.True(one < other);
        Assert.Equal(-other.CompareTo(one), one.CompareTo(other));
    }
}
