using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>What one input changed in an engine's counters.</summary>
internal readonly record struct FuzzStep(long Dropped, long TokensReceived, long PacketsReceived, long Delivered, long ReassemblyErrors, long MembershipMessages = 0)
{
    /// <summary>Inputs that were dropped, or accepted as a token, a data packet or a membership message: at most one per datagram.</summary>
    public long Outcomes => Dropped + TokensReceived + PacketsReceived + MembershipMessages;
}

/// <summary>
/// A started <see cref="TotemEngine"/> behind a <see cref="RecordingHost"/>, fed datagrams and timer
/// expiries, checking after every input that its deliveries are ordered, come from members of its
/// ring and agree with its counters, and that its own invariants hold.
/// </summary>
internal sealed class FuzzTarget
{
    private readonly PacketPool _pool;
    private readonly HashSet<NodeId> _members;
    private long _lastSequence;
    private int _lastIndex = -1;
    private RingId _lastRing;

    public FuzzTarget(NodeId self, IReadOnlyCollection<NodeId> members, ulong ringSequence, TotemSettings settings, PacketPool pool, long now)
    {
        _pool = pool;
        _members = [.. members];
        Host = new RecordingHost { KeepSends = false };
        Engine = new TotemEngine(self, settings, Host, new OutboundQueue(pool, 16, settings.MaxMessageSize), pool);
        Engine.Start(members, ringSequence, now);
        CheckDeliveries();
    }

    public TotemEngine Engine { get; }

    public RecordingHost Host { get; }

    /// <summary>The messages delivered during the last input.</summary>
    public List<DeliveredMessage> LastDeliveries { get; } = [];

    /// <summary>Copies <paramref name="datagram"/> into a pool buffer and hands it to the engine.</summary>
    public FuzzStep Feed(ReadOnlySpan<byte> datagram, long now)
    {
        var buffer = _pool.Rent();
        datagram.CopyTo(buffer);
        return FeedBuffer(buffer, datagram.Length, now);
    }

    /// <summary>Hands a pool buffer to the engine, which owns it from then on.</summary>
    public FuzzStep FeedBuffer(byte[] buffer, int length, long now)
    {
        var before = Snapshot();
        Engine.OnDatagram(buffer, length, now);
        return Checked(before);
    }

    /// <summary>Fires every timer due by <paramref name="now"/>.</summary>
    public FuzzStep FireTimers(long now)
    {
        var before = Snapshot();
        Host.FireDueTimers(Engine, now);
        var step = Checked(before);
        Assert.Equal(0, step.Outcomes);
        return step;
    }

    private FuzzStep Checked(FuzzStep before)
    {
        LastDeliveries.Clear();
        CheckDeliveries();
        var after = Snapshot();
        return new FuzzStep(
            after.Dropped - before.Dropped,
            after.TokensReceived - before.TokensReceived,
            after.PacketsReceived - before.PacketsReceived,
            after.Delivered - before.Delivered,
            after.ReassemblyErrors - before.ReassemblyErrors,
            after.MembershipMessages - before.MembershipMessages);
    }

    private FuzzStep Snapshot()
    {
        var counters = Engine.Counters;
        return new FuzzStep(counters.DroppedTotal, counters.TokensReceived, counters.PacketsReceived, counters.MessagesDelivered, counters.ReassemblyErrors, counters.MembershipMessages);
    }

    private void CheckDeliveries()
    {
        foreach (var delivery in Host.Deliveries)
        {
            // A damaged membership message may make the engine reform its ring (a ring of its own,
            // since nothing answers it); messages are then ordered anew in the new ring.
            if (delivery.Ring != _lastRing)
            {
                Assert.True(delivery.Ring.Sequence > _lastRing.Sequence, $"delivery in ring {delivery.Ring} after ring {_lastRing}");
                _lastRing = delivery.Ring;
                _lastSequence = 0;
                _lastIndex = -1;
            }

            Assert.Contains(delivery.Sender, _members);
            Assert.True(
                delivery.Sequence > _lastSequence || (delivery.Sequence == _lastSequence && delivery.Index > _lastIndex),
                $"delivery ({delivery.Sequence}, {delivery.Index}) not after ({_lastSequence}, {_lastIndex})");
            if (delivery.Ring == Engine.Ring)
            {
                Assert.InRange(delivery.Sequence, 1, Engine.MyAru);
            }

            _lastSequence = delivery.Sequence;
            _lastIndex = delivery.Index;
            LastDeliveries.Add(delivery);
        }

        Host.Deliveries.Clear();
        Assert.Equal(Engine.Counters.MessagesDelivered, Host.DeliveryCount);
        Assert.Equal(Engine.Counters.BytesDelivered, Host.DeliveredBytes);
        Assert.InRange(Engine.DeliveredUpTo, 0, Engine.MyAru);
        Assert.InRange(Engine.SafeUpTo, 0, Engine.MyAru);
        if (_lastRing == Engine.Ring)
        {
            Assert.InRange(_lastSequence, 0, Engine.DeliveredUpTo + 1);
        }
    }
}
