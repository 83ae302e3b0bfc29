using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// One message delivered in ring order. (<see cref="Ring"/>, <see cref="Sequence"/>,
/// <see cref="Index"/>) is its position in the total order, the same at every node.
/// </summary>
public readonly ref struct Delivery
{
    private readonly PacketStore? _store;
    private readonly PacketLease? _assembled;

    /// <summary>Creates a delivery.</summary>
    public Delivery(NodeId sender, RingId ring, long sequence, int index, ServiceType service, ReadOnlySpan<byte> payload)
    {
        Sender = sender;
        Ring = ring;
        Sequence = sequence;
        Index = index;
        Service = service;
        Payload = payload;
    }

    /// <summary>A delivery whose payload can be retained beyond the call (see <see cref="RetainBuffer"/>).</summary>
    internal Delivery(NodeId sender, RingId ring, long sequence, int index, ServiceType service, EntryKind kind, ReadOnlySpan<byte> payload, int payloadOffset, PacketStore? store, PacketLease? assembled)
        : this(sender, ring, sequence, index, service, payload)
    {
        Kind = kind;
        PayloadOffset = payloadOffset;
        _store = store;
        _assembled = assembled;
    }

    /// <summary>Which layer the message belongs to.</summary>
    internal EntryKind Kind { get; }

    /// <summary>Offset of <see cref="Payload"/> in the buffer <see cref="RetainBuffer"/> returns.</summary>
    internal int PayloadOffset { get; }

    /// <summary>
    /// Takes a reference on the buffer holding the payload, so it can be used after the call; the
    /// caller releases it. Null when the delivery was not made from a stored buffer.
    /// </summary>
    internal PacketLease? RetainBuffer()
    {
        var lease = _assembled ?? _store?.LeaseOf(Sequence);
        lease?.AddReference();
        return lease;
    }

    /// <summary>The node that sent the message.</summary>
    public NodeId Sender { get; }

    /// <summary>The ring configuration the message was ordered in.</summary>
    public RingId Ring { get; }

    /// <summary>Sequence number of the data packet that completed the message.</summary>
    public long Sequence { get; }

    /// <summary>Position of the message (or its last fragment) inside that packet.</summary>
    public int Index { get; }

    /// <summary>The service type the sender asked for.</summary>
    public ServiceType Service { get; }

    /// <summary>The message; valid only while the delivery call runs.</summary>
    public ReadOnlySpan<byte> Payload { get; }
}
