using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

/// <summary>Peer sets handed in from outside (cluster membership): new peers hear at once, gone ones no longer.</summary>
public sealed class PeerUpdateTests
{
    private static readonly TotemSettings Settings = new() { MaxDatagramSize = 1400, ReceiveWindow = 256 };
    private static readonly NodeId NodeD = new(0x7F00_0001_12C6);

    [Fact]
    public void UpdatePeers_Operational_NewPeerOutsideTheRingGetsAMergeDetectAtOnce()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB], 4, 0);
        host.Sends.Clear();

        engine.UpdatePeers([Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC], 10);

        // The member already hears the ring; only the newcomer is told, and this node is not.
        var sent = Assert.Single(host.Sends);
        Assert.Equal(Datagrams.NodeC, sent.Destination);
        Assert.Equal((byte)PacketType.MergeDetect, sent.Datagram[3]);
    }

    [Fact]
    public void UpdatePeers_PeerNoLongerListed_MergeDetectionStopsAnnouncingToIt()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB], 4, 0);
        engine.UpdatePeers([Datagrams.NodeC, NodeD], 10);
        host.Sends.Clear();
        Assert.Equal([Datagrams.NodeC, NodeD], MergeDetectTargets(engine, host, 20));

        engine.UpdatePeers([NodeD], 30);

        Assert.Equal([NodeD], MergeDetectTargets(engine, host, 40));
    }

    [Fact]
    public void UpdatePeers_SamePeersAgain_SendsNothing()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB], 4, 0);
        engine.UpdatePeers([Datagrams.NodeC], 10);
        host.Sends.Clear();

        engine.UpdatePeers([Datagrams.NodeC], 20);

        Assert.Empty(host.Sends);
    }

    [Fact]
    public void UpdatePeers_Gathering_NewPeerGetsThisNodesJoin()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.StartJoining([], ringSequenceFloor: 1000, now: 0);
        host.Sends.Clear();

        engine.UpdatePeers([Datagrams.NodeB], 10);

        var sent = Assert.Single(host.Sends);
        Assert.Equal(Datagrams.NodeB, sent.Destination);
        Assert.Equal((byte)PacketType.Join, sent.Datagram[3]);
        Assert.Equal(MembershipState.Gather, engine.State);
    }

    [Fact]
    public void UpdatePeers_BeforeStart_PeersAreContactedWhenGatheringStarts()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);

        engine.UpdatePeers([Datagrams.NodeB, Datagrams.NodeC], 0);
        Assert.Empty(host.Sends);
        engine.StartJoining([], ringSequenceFloor: 1000, now: 0);

        Assert.Equal(
            [Datagrams.NodeB, Datagrams.NodeC],
            host.Sends.Where(s => s.Datagram[3] == (byte)PacketType.Join).Select(s => s.Destination).Order().ToArray());
    }

    [Fact]
    public void UpdatePeers_AfterLeave_SendsNothing()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB], 4, 0);
        engine.Leave(5);
        host.Sends.Clear();

        engine.UpdatePeers([Datagrams.NodeC], 10);

        Assert.Empty(host.Sends);
    }

    private static NodeId[] MergeDetectTargets(TotemEngine engine, RecordingHost host, long now)
    {
        // Only this timer: the others (token loss, say) would move the engine out of its ring.
        host.Sends.Clear();
        engine.OnTimer(TimerKind.MergeDetect, now);
        return [.. host.Sends.Where(s => s.Datagram[3] == (byte)PacketType.MergeDetect).Select(s => s.Destination).Order()];
    }

    private static (TotemEngine Engine, RecordingHost Host) NewEngine(NodeId self)
    {
        var pool = new PacketPool(Settings.MaxDatagramSize, 64);
        var host = new RecordingHost();
        return (new TotemEngine(self, Settings, host, new OutboundQueue(pool, 16, Settings.MaxMessageSize), pool), host);
    }
}
