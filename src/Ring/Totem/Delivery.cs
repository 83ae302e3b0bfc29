namespace SpreadNet.Ring.Totem;

/// <summary>
/// One message delivered in ring order. (<see cref="Ring"/>, <see cref="Sequence"/>,
/// <see cref="Index"/>) is its position in the total order, the same at every node.
/// </summary>
public readonly ref struct Delivery
{
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
