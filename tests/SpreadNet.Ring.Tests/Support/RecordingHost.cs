using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>One message the engine delivered, copied out of the delivery call.</summary>
internal sealed record DeliveredMessage(NodeId Sender, RingId Ring, long Sequence, int Index, ServiceType Service, byte[] Payload);

/// <summary>One datagram the engine sent, copied out of the send call.</summary>
internal sealed record SentDatagram(NodeId Destination, byte[] Datagram);

/// <summary>
/// An <see cref="IEngineHost"/> that records what the engine asks for: sends, deliveries and the
/// due time of every timer kind.
/// </summary>
internal sealed class RecordingHost : IEngineHost
{
    private readonly long[] _timers = [.. Enumerable.Repeat(TimerKinds.Disarmed, TimerKinds.Count)];

    /// <summary>Whether sent datagrams are copied into <see cref="Sends"/> (fuzz runs only count them).</summary>
    public bool KeepSends { get; init; } = true;

    public List<SentDatagram> Sends { get; } = [];

    public long SendCount { get; private set; }

    public List<DeliveredMessage> Deliveries { get; } = [];

    public long DeliveredBytes { get; private set; }

    /// <summary>Messages delivered since the host was made, including those already cleared from <see cref="Deliveries"/>.</summary>
    public long DeliveryCount { get; private set; }

    public long TimerDue(TimerKind kind) => _timers[(int)kind];

    public void Send(NodeId destination, ReadOnlySpan<byte> datagram)
    {
        SendCount++;
        if (KeepSends)
        {
            Sends.Add(new SentDatagram(destination, datagram.ToArray()));
        }
    }

    public void Deliver(in Delivery delivery)
    {
        Deliveries.Add(new DeliveredMessage(
            delivery.Sender, delivery.Ring, delivery.Sequence, delivery.Index, delivery.Service, delivery.Payload.ToArray()));
        DeliveredBytes += delivery.Payload.Length;
        DeliveryCount++;
    }

    public void SetTimer(TimerKind kind, long dueMicros) => _timers[(int)kind] = dueMicros;

    /// <summary>Events the engine reported.</summary>
    public List<RingEvent> Events { get; } = [];

    /// <summary>Configuration changes the engine delivered.</summary>
    public List<ConfigurationChange> Configurations { get; } = [];

    /// <summary>The last ring sequence the engine asked to persist.</summary>
    public ulong SavedRingSequence { get; private set; }

    public void Notify(RingEvent ringEvent) => Events.Add(ringEvent);

    public void DeliverConfiguration(ConfigurationChange change) => Configurations.Add(change);

    public void SaveRingSequence(ulong sequence) => SavedRingSequence = sequence;

    /// <summary>Fires, in kind order, every timer due at or before <paramref name="now"/>.</summary>
    public int FireDueTimers(TotemEngine engine, long now)
    {
        int fired = 0;
        for (int i = 0; i < _timers.Length; i++)
        {
            if (_timers[i] <= now)
            {
                _timers[i] = TimerKinds.Disarmed;
                engine.OnTimer((TimerKind)i, now);
                fired++;
            }
        }

        return fired;
    }
}
