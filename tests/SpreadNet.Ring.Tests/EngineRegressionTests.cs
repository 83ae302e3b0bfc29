using System.Net;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

/// <summary>Cases found by fuzzing and review, kept so they stay fixed.</summary>
public sealed class EngineRegressionTests
{
    [Fact]
    public void OnDatagram_TokenWithSeqBelowPacketsHeld_DroppedWithoutThrowing()
    {
        var pool = new PacketPool(1400, 64);
        var queue = new OutboundQueue(pool, 16, 1 << 20);
        var engine = new TotemEngine(Datagrams.NodeB, new TotemSettings { MaxDatagramSize = 1400, ReceiveWindow = 256 }, new RecordingHost(), queue, pool);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC], Datagrams.Ring.Sequence, 0);
        for (long seq = 1; seq <= 3; seq++)
        {
            Feed(engine, pool, Datagrams.Data(seq, Datagrams.NodeA, Datagrams.Ring, EntrySpec.Whole([(byte)seq])));
        }

        queue.TryEnqueue([9], ServiceType.Agreed);
        var token = Datagrams.Token(new RegularToken(128) { TokenSeq = 5, Seq = 1, Aru = 1 }, Datagrams.NodeA, Datagrams.Ring);
        long dropped = engine.Counters.DroppedTotal;

        Feed(engine, pool, token);

        Assert.Equal(dropped + 1, engine.Counters.DroppedTotal);
        Assert.Equal(1, engine.Counters.Dropped(DropReason.BadField));
    }

    [Fact]
    public void Start_SingleMemberRing_DeliversItsOwnMessagesAndThenHoldsTheToken()
    {
        var pool = new PacketPool(1400, 64);
        var queue = new OutboundQueue(pool, 16, 1 << 20);
        var host = new RecordingHost();
        var engine = new TotemEngine(Datagrams.NodeA, new TotemSettings { MaxDatagramSize = 1400, ReceiveWindow = 256 }, host, queue, pool);
        engine.Start([Datagrams.NodeA], 1, 0);
        queue.TryEnqueue([1, 2, 3], ServiceType.Agreed);
        engine.OnSubmissionsReady(1);
        long now = 1;
        for (int i = 0; i < 50 && !engine.IsHoldingToken; i++)
        {
            // Loop the engine's sends back to it, as UDP to its own address does, and let time pass.
            var sends = host.Sends.ToArray();
            host.Sends.Clear();
            foreach (var send in sends)
            {
                Feed(engine, pool, send.Datagram);
            }

            now += 50_000;
            host.FireDueTimers(engine, now);
        }

        Assert.Equal(1, host.DeliveryCount);
        Assert.True(engine.IsHoldingToken);
    }

    [Fact]
    public void Validate_SmallestAcceptedDatagramSize_CanCarryMessages()
    {
        var options = new RingOptions { ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 4803), MaxDatagramSize = 1024, MaxMessageSize = 64 << 10 };
        options.Seeds.Add(options.ListenEndPoint);
        options.Validate();
        var queue = new OutboundQueue(new PacketPool(options.MaxDatagramSize, 16), options.SendQueueCapacity, options.MaxMessageSize);
        Assert.True(queue.TryEnqueue(new byte[queue.PayloadCapacity], ServiceType.Agreed));
    }

    [Fact]
    public void FromEndPoint_Wildcard_Throws() =>
        Assert.Throws<ArgumentException>(() => NodeId.FromEndPoint(new IPEndPoint(IPAddress.Any, 0)));

    private static void Feed(TotemEngine engine, PacketPool pool, byte[] datagram)
    {
        var buffer = pool.Rent();
        datagram.CopyTo(buffer, 0);
        engine.OnDatagram(buffer, datagram.Length, 10);
    }
}
