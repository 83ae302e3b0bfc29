namespace SpreadNet.Ring.Totem;

/// <summary>
/// What the sans-IO engine asks of whoever drives it. Every call is made synchronously on the
/// driver's thread, from inside an engine input; the engine never calls it otherwise.
/// </summary>
public interface IEngineHost
{
    /// <summary>
    /// Sends a datagram to a ring member. The span is valid only during the call: a driver that
    /// sends later must copy it.
    /// </summary>
    void Send(NodeId destination, ReadOnlySpan<byte> datagram);

    /// <summary>Hands one message to the application in ring order. The payload is valid only during the call.</summary>
    void Deliver(in Delivery delivery);

    /// <summary>Arms (or re-arms) a timer for the time <paramref name="dueMicros"/>; <see cref="TimerKinds.Disarmed"/> disarms it.</summary>
    void SetTimer(TimerKind kind, long dueMicros);
}
