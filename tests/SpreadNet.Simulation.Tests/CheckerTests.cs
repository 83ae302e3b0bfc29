using System.Buffers.Binary;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;
using SpreadNet.Simulation.Checkers;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// The simulator's checkers catch what they are meant to: a run's nodes are started (static ring,
/// nothing received yet) and deliveries are fed to it by hand.
/// </summary>
public class CheckerTests
{
    private readonly SimulationRun _run = new(Scenario.FromSeed(99, FaultMode.None) with { NodeCount = 3, MessageCount = 60, SafeFraction = 0, LargeFraction = 0 });

    public CheckerTests() => _run.Start();

    [Fact]
    public void TotalOrder_DifferentMessageAtSamePosition_Reported()
    {
        var (a, b) = (MessageOf(0, 0), MessageOf(1, 0));

        Deliver(0, a, seq: 1);
        Deliver(1, b, seq: 1);

        Assert.Contains(_run.Violations, v => v.Checker == "TotalOrder");
    }

    [Fact]
    public void TotalOrder_SameSequenceEverywhere_NotReported()
    {
        var (a, b) = (MessageOf(0, 0), MessageOf(1, 0));
        foreach (int node in new[] { 0, 1, 2 })
        {
            Deliver(node, a, seq: 1);
            Deliver(node, b, seq: 2);
        }

        Assert.Empty(_run.Violations);
    }

    [Fact]
    public void SkippedMessage_ReportedAtTheEnd()
    {
        var (first, second, third) = (MessageOf(0, 0), MessageOf(0, 1), MessageOf(0, 2));
        Deliver(0, first, seq: 1);
        Deliver(0, third, seq: 3);
        Deliver(1, first, seq: 1);
        Deliver(1, second, seq: 2);
        Deliver(1, third, seq: 3);
        Assert.Empty(_run.Violations);

        _run.Checker<EvsChecker>().AtEnd();

        Assert.Contains(_run.Violations, v => v.Checker is "RegularPrefix" or "SenderFifo");
    }

    [Fact]
    public void Duplicate_Reported()
    {
        Deliver(0, MessageOf(0, 0), seq: 1);
        Deliver(0, MessageOf(0, 0), seq: 2);

        Assert.Contains(_run.Violations, v => v.Checker == "NoDuplicates");
    }

    [Fact]
    public void Payload_CorruptByte_Reported()
    {
        var message = MessageOf(0, 0);
        var payload = PayloadOf(message);
        payload[^1] ^= 0xFF;

        Deliver(0, message, seq: 1, payload);

        Assert.Contains(_run.Violations, v => v.Checker == "Payload" && v.Message.Contains("corrupt", StringComparison.Ordinal));
    }

    [Fact]
    public void Payload_WrongService_Reported()
    {
        var message = MessageOf(0, 0);

        Deliver(0, message with { Service = ServiceType.Safe }, seq: 1);

        Assert.Contains(_run.Violations, v => v.Checker == "Payload");
    }

    [Fact]
    public void Safe_DeliveredBeforeEveryoneHasIt_Reported()
    {
        // The engines have received nothing yet (aru 0).
        var message = MessageOf(0, 0);

        Deliver(0, message with { Service = ServiceType.Safe }, seq: 1);

        Assert.Contains(_run.Violations, v => v.Checker == "SafeDeliveryAru");
    }

    [Fact]
    public void TokenUniqueness_TwoNodesForwardTheSameToken_Reported()
    {
        var checker = new TokenUniquenessChecker(_run);

        checker.OnSend(_run.Nodes[0], _run.Nodes[1], Token(_run.Nodes[0], 1));
        checker.OnSend(_run.Nodes[0], _run.Nodes[1], Token(_run.Nodes[0], 1)); // retransmission: fine
        checker.OnSend(_run.Nodes[1], _run.Nodes[2], Token(_run.Nodes[1], 2));
        Assert.Empty(_run.Violations);

        checker.OnSend(_run.Nodes[2], _run.Nodes[0], Token(_run.Nodes[2], 2));
        Assert.Contains(_run.Violations, v => v.Checker == "TokenUniqueness");
    }

    private Submission MessageOf(int node, int counter)
    {
        Assert.True(_run.Workload.TryGet(new MessageId(node, counter), out var submission));
        return submission;
    }

    private static byte[] PayloadOf(Submission message)
    {
        var payload = new byte[message.Size];
        MessagePayload.Write(payload, message.Id, message.Size);
        return payload;
    }

    private void Deliver(int node, Submission message, long seq, byte[]? payload = null)
    {
        payload ??= PayloadOf(message);
        var sender = _run.Nodes[message.Id.Node].Id;
        _run.OnDelivered(_run.Nodes[node], new Delivery(sender, _run.InitialRing, seq, 0, message.Service, payload));
    }

    private byte[] Token(SimulatedNode from, long tokenSeq)
    {
        var datagram = new byte[PacketHeader.Size + RegularToken.FixedBodySize];
        new PacketHeader(PacketType.Token, 0, datagram.Length, from.Id, _run.InitialRing).Write(datagram);
        BinaryPrimitives.WriteInt64BigEndian(datagram.AsSpan(PacketHeader.Size), tokenSeq);
        return datagram;
    }
}
