using Orleans;
using Orleans.Streams;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider;

/// <summary>
/// A position in a Spread ring's total order, the same at every silo: the ring configuration's
/// sequence (increasing across configurations), the sequence of the packet that completed the
/// message, the message's index in that packet, and the event's index in its batch. Compared in
/// that order. <see cref="StreamSequenceToken.SequenceNumber"/> is the packet sequence.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class SpreadSequenceToken : StreamSequenceToken
{
    /// <summary>Creates a token.</summary>
    public SpreadSequenceToken(ulong ringSequence, long packetSequence, int index, int eventIndex)
    {
        RingSequence = ringSequence;
        SequenceNumber = packetSequence;
        Index = index;
        EventIndex = eventIndex;
    }

    /// <summary>Sequence of the ring configuration the event was ordered in.</summary>
    [Id(0)]
    public ulong RingSequence { get; }

    /// <summary>Sequence of the packet that completed the event's message in that configuration.</summary>
    public long PacketSequence => SequenceNumber;

    /// <summary>Index of the message in the packet.</summary>
    [Id(2)]
    public int Index { get; }

    /// <inheritdoc />
    [Id(1)]
    public override long SequenceNumber { get; protected set; }

    /// <inheritdoc />
    [Id(3)]
    public override int EventIndex { get; protected set; }

    /// <summary>The batch's place in the ring's order.</summary>
    internal RingPosition Position => new(RingSequence, PacketSequence, Index);

    /// <summary>The token of event <paramref name="eventIndex"/> of the same batch.</summary>
    public SpreadSequenceToken ForEvent(int eventIndex) => new(RingSequence, PacketSequence, Index, eventIndex);

    /// <inheritdoc />
    public override bool Equals(StreamSequenceToken? other) => other is SpreadSequenceToken t && CompareTo(t) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is StreamSequenceToken t && Equals(t);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(RingSequence, PacketSequence, Index, EventIndex);

    /// <inheritdoc />
    public override int CompareTo(StreamSequenceToken? other)
    {
        if (other is null)
        {
            return 1;
        }

        if (other is not SpreadSequenceToken t)
        {
            throw new ArgumentException($"A {nameof(SpreadSequenceToken)} compares only with another; got {other.GetType().Name}.", nameof(other));
        }

        int c = Position.CompareTo(t.Position);
        return c != 0 ? c : EventIndex.CompareTo(t.EventIndex);
    }

    /// <inheritdoc />
    public override string ToString() => $"[{RingSequence}:{PacketSequence}.{Index}#{EventIndex}]";
}
