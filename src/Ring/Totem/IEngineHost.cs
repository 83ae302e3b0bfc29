namespace SpreadNet.Ring.Totem;

/// <summary>
/// What the sans-IO engine asks of whoever drives it. Every call is made synchronously on the
/// driver's thread, from inside an engine input; the engine never calls it otherwise.
/// </summary>
public interface IEngineHost
{
    /// <summary>
    /// Sends a datagram to a node. The span is valid only during the call: a driver that sends
    /// later must copy it.
    /// </summary>
    void Send(NodeId destination, ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Sends the first <paramref name="length"/> bytes of <paramref name="buffer"/> to every node
    /// of <paramref name="destinations"/> but <paramref name="except"/>, in order. During the call
    /// the bytes of <paramref name="buffer"/> after <paramref name="length"/> are the host's (room
    /// for an authentication trailer, so a host that seals datagrams seals this one once, in
    /// place); the engine never reads them.
    /// </summary>
    void SendToEach(ReadOnlySpan<NodeId> destinations, NodeId except, byte[] buffer, int length)
    {
        var datagram = buffer.AsSpan(0, length);
        foreach (var destination in destinations)
        {
            if (destination != except)
            {
                Send(destination, datagram);
            }
        }
    }

    /// <summary>Hands one message to the application in ring order. The payload is valid only during the call.</summary>
    void Deliver(in Delivery delivery);

    /// <summary>Arms (or re-arms) a timer for the time <paramref name="dueMicros"/>; <see cref="TimerKinds.Disarmed"/> disarms it.</summary>
    void SetTimer(TimerKind kind, long dueMicros);

    /// <summary>Hands a configuration change to the application, in order with the messages.</summary>
    void DeliverConfiguration(ConfigurationChange change)
    {
    }

    /// <summary>Reports something an operator should hear about.</summary>
    void Notify(RingEvent ringEvent)
    {
    }

    /// <summary>
    /// The engine is about to use ring sequence <paramref name="sequence"/>; a host that persists it
    /// (and passes it back at the next start) guarantees ring ids are never reused across restarts.
    /// </summary>
    void SaveRingSequence(ulong sequence)
    {
    }

    /// <summary>Names a node for messages meant for people (its address, where the host knows it).</summary>
    string Describe(NodeId node) => node.ToString();
}
