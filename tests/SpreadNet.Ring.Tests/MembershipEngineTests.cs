using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

/// <summary>Membership behaviour of a single engine: starting alone, refusing other versions, ring sequences.</summary>
public sealed class MembershipEngineTests
{
    private static readonly TotemSettings Settings = new() { MaxDatagramSize = 1400, ReceiveWindow = 256 };

    [Fact]
    public void StartJoining_NoSeedAnswers_FormsARingOfItsOwnAfterTheConsensusTimeout()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.StartJoining([Datagrams.NodeB], ringSequenceFloor: 1000, now: 0);
        Assert.Equal(MembershipState.Gather, engine.State);

        host.FireDueTimers(engine, Settings.ConsensusMicros);
        for (int i = 0; i < 10 && engine.State != MembershipState.Operational; i++)
        {
            // A ring of one passes the token to itself, as UDP to its own address does.
            var sends = host.Sends.Where(s => s.Destination == Datagrams.NodeA).ToArray();
            host.Sends.Clear();
            foreach (var send in sends)
            {
                Feed(engine, send.Datagram);
            }
        }

        Assert.Equal(MembershipState.Operational, engine.State);
        var regular = Assert.Single(host.Configurations);
        Assert.Equal(ConfigurationKind.Regular, regular.Kind);
        Assert.Equal([Datagrams.NodeA], regular.Members);
        Assert.Equal(1004UL, regular.Ring.Sequence);
        Assert.Equal(1004UL, host.SavedRingSequence);
    }

    [Fact]
    public void OnDatagram_OtherProtocolVersion_ReportedOncePerPeerAndDropped()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB], 4, 0);
        var datagram = Datagrams.Control(PacketType.Join, Datagrams.NodeB, Datagrams.Ring);
        datagram[2] = PacketHeader.CurrentVersion + 1;

        Feed(engine, datagram);
        Feed(engine, datagram);

        var reported = Assert.Single(host.Events);
        Assert.Equal(RingEventKind.VersionMismatch, reported.Kind);
        Assert.Equal(Datagrams.NodeB, reported.Peer);
        Assert.Contains("Run the same SpreadNet version on every node", reported.Message, StringComparison.Ordinal);
        Assert.Equal(2, engine.Counters.Dropped(DropReason.BadVersion));
        Assert.Equal(MembershipState.Operational, engine.State);
    }

    [Fact]
    public void Leave_Operational_TellsEveryMemberTwiceAndStops()
    {
        var (engine, host) = NewEngine(Datagrams.NodeA);
        engine.Start([Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC], 4, 0);
        host.Sends.Clear();

        engine.Leave(10);

        Assert.Equal(MembershipState.Stopped, engine.State);
        var leaves = host.Sends.Where(s => s.Datagram[3] == (byte)PacketType.Leave).ToList();
        Assert.Equal(4, leaves.Count);
        Assert.Equal(2, leaves.Count(s => s.Destination == Datagrams.NodeB));
    }

    [Fact]
    public void RingSequenceStore_SavedSequenceAboveTheClock_IsTheFloorAfterARestart()
    {
        string folder = Directory.CreateTempSubdirectory("spreadnet-ringseq-").FullName;
        try
        {
            var store = new RingSequenceStore(folder, Datagrams.NodeA, TimeProvider.System);
            ulong farFuture = (ulong)DateTimeOffset.UtcNow.AddYears(10).ToUnixTimeMilliseconds();
            store.Save(farFuture);

            var restarted = new RingSequenceStore(folder, Datagrams.NodeA, TimeProvider.System);

            Assert.Equal(farFuture, restarted.LoadFloor());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void RingSequenceStore_NoFolder_FloorIsTheWallClockInMilliseconds()
    {
        var store = new RingSequenceStore(null, Datagrams.NodeA, TimeProvider.System);
        ulong before = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        Assert.InRange(store.LoadFloor(), before, before + 60_000);
    }

    private static (TotemEngine Engine, RecordingHost Host) NewEngine(NodeId self)
    {
        var pool = new PacketPool(Settings.MaxDatagramSize, 64);
        var host = new RecordingHost();
        return (new TotemEngine(self, Settings, host, new OutboundQueue(pool, 16, Settings.MaxMessageSize), pool), host);
    }

    private static void Feed(TotemEngine engine, byte[] datagram)
    {
        var buffer = new byte[Settings.MaxDatagramSize];
        datagram.CopyTo(buffer, 0);
        engine.OnDatagram(buffer, datagram.Length, 10);
    }
}
