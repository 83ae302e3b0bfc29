using CsCheck;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class OutboundQueueTests
{
    private const int DatagramSize = 1024;
    private const int MaxMessage = 1 << 20;

    /// <summary>Largest packet the queue fills: room is left to carry it whole inside a recovered packet.</summary>
    private const int PacketLimit = DatagramSize - DataPacket.EntriesOffset;

    /// <summary>Largest unfragmented message: the packet less the fixed parts and one entry header.</summary>
    private const int PayloadCapacity = PacketLimit - DataPacket.EntriesOffset - DataPacket.EntryHeaderSize;

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void PayloadCapacity_DatagramSize_IsDatagramLessHeaders()
    {
        var queue = NewQueue(capacity: 4);

        Assert.Equal(PayloadCapacity, queue.PayloadCapacity);
    }

    [Fact]
    public void Constructor_DatagramTooSmallForMessages_Throws()
    {
        Assert.Throws<ArgumentException>(() => new OutboundQueue(new PacketPool(500, 4), 4, MaxMessage));
    }

    [Fact]
    public void TryEnqueue_ManySmallMessages_PackedInOrderIntoOnePacket()
    {
        var queue = NewQueue(capacity: 4);
        var services = Enum.GetValues<ServiceType>();
        for (int i = 0; i < 30; i++)
        {
            Assert.True(queue.TryEnqueue(Datagrams.Payload(10 + (i % 3), i), services[i % services.Length]));
        }

        Assert.Equal(1, queue.PendingPackets);
        var packets = Datagrams.Drain(queue, 7, Datagrams.NodeB, Datagrams.Ring);

        var packet = Assert.Single(packets);
        Assert.Equal(7, DataPacket.ReadSeq(packet));
        var entries = Datagrams.ReadEntries(packet);
        Assert.Equal(30, entries.Count);
        for (int i = 0; i < 30; i++)
        {
            Assert.Equal(FragmentFlags.Whole, entries[i].Entry.Flags);
            Assert.Equal(services[i % services.Length], entries[i].Entry.Service);
            Assert.Equal(Datagrams.Payload(10 + (i % 3), i), entries[i].Payload);
        }

        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void TryEnqueue_MoreThanOnePacketOfMessages_NextPacketsKeepTheOrder()
    {
        var queue = NewQueue(capacity: 8);
        for (int i = 0; i < 10; i++)
        {
            Assert.True(queue.TryEnqueue(Datagrams.Payload(300, i), ServiceType.Agreed));
        }

        var packets = Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring);

        // (976 - 48) / (8 + 300) = 3 messages per packet.
        Assert.Equal([3, 3, 3, 1], packets.Select(p => DataPacket.ReadEntryCount(p)));
        Assert.Equal([1L, 2L, 3L, 4L], packets.Select(p => DataPacket.ReadSeq(p)));
        var payloads = packets.SelectMany(p => Datagrams.ReadEntries(p)).Select(e => e.Payload).ToList();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => Datagrams.Payload(300, i)), payloads);
    }

    [Fact]
    public void TryEnqueue_MessageOfExactlyPayloadCapacity_OneWholeEntryFillingTheDatagram()
    {
        var queue = NewQueue(capacity: 4);
        Assert.True(queue.TryEnqueue(Datagrams.Payload(PayloadCapacity, 1), ServiceType.Safe));

        var packet = Assert.Single(Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring));

        Assert.Equal(PacketLimit, packet.Length);
        var entry = Assert.Single(Datagrams.ReadEntries(packet));
        Assert.Equal(FragmentFlags.Whole, entry.Entry.Flags);
        Assert.Equal(Datagrams.Payload(PayloadCapacity, 1), entry.Payload);
    }

    [Theory]
    [InlineData(PayloadCapacity + 1)]
    [InlineData(5000)]
    [InlineData(65_536)]
    public void TryEnqueue_MessageLargerThanDatagram_SplitIntoFirstMiddleLastFragments(int length)
    {
        var queue = NewQueue(capacity: 1);
        var message = Datagrams.Payload(length, 3);

        Assert.True(queue.TryEnqueue(message, ServiceType.Fifo));
        var packets = Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring);

        Assert.True(packets.Count >= 2);
        var fragments = packets.Select(p => Assert.Single(Datagrams.ReadEntries(p))).ToList();
        Assert.Equal(FragmentFlags.First, fragments[0].Entry.Flags);
        Assert.Equal(length, fragments[0].Entry.TotalLength);
        Assert.All(fragments[1..^1], f => Assert.Equal(FragmentFlags.None, f.Entry.Flags));
        Assert.Equal(FragmentFlags.Last, fragments[^1].Entry.Flags);
        Assert.All(fragments, f => Assert.Equal(ServiceType.Fifo, f.Entry.Service));
        Assert.All(packets[..^1], p => Assert.Equal(PacketLimit, p.Length));
        Assert.Equal(message, fragments.SelectMany(f => f.Payload).ToArray());
    }

    [Fact]
    public void TryEnqueue_LargeMessageAfterSmallOne_FirstFragmentSharesThePacket()
    {
        var queue = NewQueue(capacity: 8);
        var small = Datagrams.Payload(100, 1);
        var large = Datagrams.Payload(3000, 2);

        Assert.True(queue.TryEnqueue(small, ServiceType.Agreed));
        Assert.True(queue.TryEnqueue(large, ServiceType.Safe));
        var packets = Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring);

        var first = Datagrams.ReadEntries(packets[0]);
        Assert.Equal(2, first.Count);
        Assert.Equal(small, first[0].Payload);
        Assert.Equal(FragmentFlags.First, first[1].Entry.Flags);
        Assert.Equal(3000, first[1].Entry.TotalLength);
        var rest = packets.Skip(1).SelectMany(p => Datagrams.ReadEntries(p)).ToList();
        Assert.Equal(FragmentFlags.Last, rest[^1].Entry.Flags);
        Assert.Equal(large, first[1].Payload.Concat(rest.SelectMany(e => e.Payload)).ToArray());
    }

    [Fact]
    public void TryEnqueue_QueueFull_ReturnsFalse()
    {
        var queue = NewQueue(capacity: 2);

        Assert.True(queue.TryEnqueue(new byte[900], ServiceType.Agreed));
        Assert.True(queue.TryEnqueue(new byte[900], ServiceType.Agreed));
        Assert.Equal(2, queue.PendingPackets);

        Assert.False(queue.TryEnqueue(new byte[900], ServiceType.Agreed));
        Assert.Equal(2, queue.PendingPackets);
    }

    [Fact]
    public void TryEnqueue_EmptyQueueAndMessageLargerThanCapacity_Accepted()
    {
        var queue = NewQueue(capacity: 1);
        var message = Datagrams.Payload(10_000, 9);

        Assert.True(queue.TryEnqueue(message, ServiceType.Agreed));

        Assert.True(queue.PendingPackets > 1);
        Assert.False(queue.TryEnqueue([1], ServiceType.Agreed));
        var packets = Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring);
        Assert.Equal(message, packets.SelectMany(p => Datagrams.ReadEntries(p)).SelectMany(e => e.Payload).ToArray());
        Assert.True(queue.TryEnqueue([1], ServiceType.Agreed));
    }

    [Fact]
    public void TryEnqueue_OverMaxMessageSize_ThrowsArgumentOutOfRange()
    {
        var queue = new OutboundQueue(new PacketPool(DatagramSize, 16), 4, maxMessageSize: 2000);

        Assert.True(queue.TryEnqueue(new byte[2000], ServiceType.Agreed));
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryEnqueue(new byte[2001], ServiceType.Agreed));
        Assert.Equal("payload", exception.ParamName);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    public void TryEnqueue_UnknownServiceType_ThrowsArgumentOutOfRange(byte service)
    {
        var queue = NewQueue(capacity: 4);

        Assert.Throws<ArgumentOutOfRangeException>(() => queue.TryEnqueue([1], (ServiceType)service));
        Assert.True(queue.IsEmpty);
    }

    [Fact]
    public void BecameNonEmpty_FirstMessageOnly_CalledOncePerEmptyToNonEmpty()
    {
        var queue = NewQueue(capacity: 4);
        int calls = 0;
        queue.BecameNonEmpty = () => calls++;

        queue.TryEnqueue([1], ServiceType.Agreed);
        queue.TryEnqueue([2], ServiceType.Agreed);
        Assert.Equal(1, calls);

        Assert.True(queue.TryTake(out _));
        queue.TryEnqueue([3], ServiceType.Agreed);
        Assert.Equal(2, calls);
    }

    [Fact]
    public void TryTake_EmptyQueue_ReturnsFalse()
    {
        var queue = NewQueue(capacity: 4);

        Assert.False(queue.TryTake(out var packet));
        Assert.Equal(default, packet);
    }

    [Fact]
    public async Task EnqueueAsync_QueueFull_WaitsUntilTryTakeMakesRoom()
    {
        var queue = NewQueue(capacity: 2);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);

        var pending = queue.EnqueueAsync(Datagrams.Payload(900, 5), ServiceType.Agreed).AsTask();
        Assert.False(pending.IsCompleted);

        Assert.True(queue.TryTake(out _));
        await pending.WaitAsync(Timeout);

        Assert.Equal(2, queue.PendingPackets);
        Assert.True(queue.TryTake(out _));
        Assert.True(queue.TryTake(out var last));
        Assert.Equal(Datagrams.Payload(900, 5), Datagrams.ReadEntries(Datagrams.Seal(last, 1, Datagrams.NodeB, Datagrams.Ring))[0].Payload);
    }

    [Fact]
    public async Task EnqueueAsync_RoomAvailable_CompletesSynchronously()
    {
        var queue = NewQueue(capacity: 2);

        var enqueue = queue.EnqueueAsync(new byte[10], ServiceType.Agreed);

        Assert.True(enqueue.IsCompletedSuccessfully);
        await enqueue;
        Assert.Equal(1, queue.PendingPackets);
    }

    [Fact]
    public async Task EnqueueAsync_Cancelled_ThrowsOperationCanceled()
    {
        var queue = NewQueue(capacity: 1);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);
        using var cancellation = new CancellationTokenSource();

        var pending = queue.EnqueueAsync(new byte[900], ServiceType.Agreed, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending.WaitAsync(Timeout));
        Assert.Equal(1, queue.PendingPackets);
    }

    [Fact]
    public async Task Close_WithWaitingSubmitter_FailsItWithObjectDisposed()
    {
        var queue = NewQueue(capacity: 1);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);
        var pending = queue.EnqueueAsync(new byte[900], ServiceType.Agreed).AsTask();
        Assert.False(pending.IsCompleted);

        queue.Close();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pending.WaitAsync(Timeout));
        Assert.True(queue.IsEmpty);
        Assert.False(queue.TryTake(out _));
    }

    [Fact]
    public async Task Close_ThenSubmit_ThrowsObjectDisposed()
    {
        var queue = NewQueue(capacity: 1);

        queue.Close();

        Assert.Throws<ObjectDisposedException>(() => queue.TryEnqueue([1], ServiceType.Agreed));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => queue.EnqueueAsync(new byte[1], ServiceType.Agreed).AsTask());
    }

    [Fact]
    public void Close_WaitingPackets_ReturnsBuffersToPool()
    {
        var pool = new PacketPool(DatagramSize, 16);
        var first = pool.Rent();
        var second = pool.Rent();
        pool.Return(first);
        pool.Return(second);
        var queue = new OutboundQueue(pool, 4, MaxMessage);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);
        queue.TryEnqueue(new byte[900], ServiceType.Agreed);

        queue.Close();

        Assert.Same(first, pool.Rent());
        Assert.Same(second, pool.Rent());
    }

    [Fact]
    public void TryEnqueue_AnySequenceOfMessages_PacketsReassembleToTheSameMessagesInOrder()
    {
        var messageGen = Gen.Select(Gen.Int[0, 3000], Gen.Enum<ServiceType>(), Gen.Int[0, 255], (length, service, tag) => (Payload: Datagrams.Payload(length, tag), Service: service));
        messageGen.List[1, 20].Sample(messages =>
        {
            var queue = NewQueue(capacity: 1000);
            foreach (var (payload, service) in messages)
            {
                Assert.True(queue.TryEnqueue(payload, service));
            }

            var packets = Datagrams.Drain(queue, 1, Datagrams.NodeB, Datagrams.Ring);
            Assert.All(packets, p => Assert.InRange(p.Length, DataPacket.EntriesOffset + DataPacket.EntryHeaderSize, DatagramSize));
            Assert.Equal(messages.Select(m => (m.Payload, m.Service)), Reassemble(packets), new MessageComparer());
        });
    }

    private static OutboundQueue NewQueue(int capacity) =>
        new(new PacketPool(DatagramSize, 64), capacity, MaxMessage);

    /// <summary>Puts messages back together from one sender's packets, in order.</summary>
    private static List<(byte[] Payload, ServiceType Service)> Reassemble(List<byte[]> packets)
    {
        var messages = new List<(byte[], ServiceType)>();
        List<byte>? partial = null;
        int total = 0;
        foreach (var packet in packets)
        {
            foreach (var (entry, payload) in Datagrams.ReadEntries(packet))
            {
                switch (entry.Flags)
                {
                    case FragmentFlags.Whole:
                        Assert.Null(partial);
                        messages.Add((payload, entry.Service));
                        break;
                    case FragmentFlags.First:
                        Assert.Null(partial);
                        partial = [.. payload];
                        total = entry.TotalLength;
                        break;
                    case FragmentFlags.None:
                        Assert.NotNull(partial);
                        partial.AddRange(payload);
                        break;
                    default:
                        Assert.NotNull(partial);
                        partial.AddRange(payload);
                        Assert.Equal(total, partial.Count);
                        messages.Add((partial.ToArray(), entry.Service));
                        partial = null;
                        break;
                }
            }
        }

        Assert.Null(partial);
        return messages;
    }

    private sealed class MessageComparer : IEqualityComparer<(byte[] Payload, ServiceType Service)>
    {
        public bool Equals((byte[] Payload, ServiceType Service) x, (byte[] Payload, ServiceType Service) y) =>
            x.Service == y.Service && x.Payload.AsSpan().SequenceEqual(y.Payload);

        public int GetHashCode((byte[] Payload, ServiceType Service) obj) => obj.Payload.Length;
    }
}
