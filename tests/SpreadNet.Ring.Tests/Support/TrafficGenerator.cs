using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>
/// Produces the valid traffic of a ring as one member sees it: data packets packed by real
/// <see cref="OutboundQueue"/>s (fragments included) with growing sequence numbers, tokens whose
/// fields follow them, control packets, some reordering, replays and foreign packets. The fuzz
/// tests damage this traffic before feeding it to the decoders and an engine.
/// </summary>
internal sealed class TrafficGenerator
{
    private const int DatagramSize = 1400;

    private static readonly PacketType[] ControlTypes =
        [PacketType.TokenHoldCancel, PacketType.Join, PacketType.CommitToken, PacketType.MergeDetect, PacketType.Leave, PacketType.Wake];

    private readonly FastRandom _random;
    private readonly NodeId[] _members;
    private readonly RingId _ring;
    private readonly int _maxMessageSize;
    private readonly int _retransmitCapacity;
    private readonly int _windowAhead;
    private readonly PacketPool _pool = new(DatagramSize, 64);
    private readonly Queue<byte[]> _batch = new();
    private readonly List<byte[]> _late = [];
    private readonly List<byte[]> _history = [];
    private long _tokenSeq;
    private long _dataSeq;

    public TrafficGenerator(FastRandom random, NodeId[] members, RingId ring, int maxMessageSize, int retransmitCapacity, int receiveWindow)
    {
        _windowAhead = receiveWindow / 2;
        _random = random;
        _members = members;
        _ring = ring;
        _maxMessageSize = maxMessageSize;
        _retransmitCapacity = retransmitCapacity;
    }

    /// <summary>
    /// What the engine under test has delivered: like the ring's flow control, new data packets stay
    /// within half a receive window of it, so that none is refused for being too far ahead.
    /// </summary>
    public long Floor { get; set; }

    /// <summary>The next valid datagram (valid for the decoders; it may still be stale or foreign for the engine).</summary>
    public byte[] Next()
    {
        int roll = _random.Next(100);
        var datagram = roll switch
        {
            < 30 => Token(),
            < 80 => Data(),
            < 88 => Control(),
            < 95 => Late(),
            _ => Replay(),
        };

        if (_random.Chance(6))
        {
            // A stranger's packet, or one of another ring; the real one still arrives later.
            if (datagram[3] == (byte)PacketType.Data)
            {
                _late.Add(datagram);
            }

            datagram = _random.Chance(50)
                ? Rewrite(datagram, new NodeId(_random.NextULong() | 1), _ring)
                : Rewrite(datagram, _random.Pick(_members), new RingId(_ring.Representative, _ring.Sequence + 1));
        }

        return datagram;
    }

    /// <summary>
    /// Follows a token the engine accepted (perhaps a damaged one with a far larger sequence
    /// number), so that the next tokens are not all stale.
    /// </summary>
    public void TokenAccepted(long tokenSeq) =>
        _tokenSeq = tokenSeq < long.MaxValue / 2 ? Math.Max(_tokenSeq, tokenSeq + 1) : 0;

    /// <summary>Sends <paramref name="datagram"/> again later (a packet whose damaged copy went first).</summary>
    public void Defer(byte[] datagram) => _late.Add(datagram);

    private byte[] Token()
    {
        // Every member adds one to the token's sequence number: after a rotation it has grown by
        // the ring's size, past what this node forwarded last time.
        int roll = _random.Next(100);
        _tokenSeq = roll switch
        {
            < 85 => _tokenSeq + Math.Max(2, _members.Length),
            < 90 => _tokenSeq + 1,
            < 95 => _tokenSeq,
            _ => _tokenSeq + _random.Next(2, 1000),
        };

        var token = new RegularToken(_retransmitCapacity + 4)
        {
            TokenSeq = _tokenSeq,
            Seq = _random.Chance(85) ? _dataSeq : _random.NextLong(0, _dataSeq + 6),
            AruId = _random.Chance(50) ? NodeId.None : _random.Pick(_members),
            Fcc = _random.Next(80),
            Backlog = _random.Next(200),
            IdleVisits = _random.Chance(70) ? _random.Next(12) : _random.Next(ushort.MaxValue + 1),
        };
        token.Aru = _random.Chance(50) ? token.Seq : _random.NextLong(Math.Max(0, token.Seq - 20), token.Seq + 1);
        int requests = token.Seq == 0 ? 0 : _random.Next(_random.Chance(95) ? 5 : _retransmitCapacity + 4);
        for (int i = 0; i < requests; i++)
        {
            token.TryAddRetransmitRequest(_random.NextLong(1, token.Seq + 1));
        }

        return Remember(Datagrams.Token(token, _random.Pick(_members), _ring));
    }

    private byte[] Data()
    {
        if (_batch.Count == 0)
        {
            if (_dataSeq - Floor >= _windowAhead)
            {
                return _late.Count > 0 ? Late() : Token();
            }

            FillBatch();
        }

        var datagram = _batch.Dequeue();
        if (_random.Chance(5))
        {
            _late.Add(datagram);
            return Late();
        }

        return Remember(datagram);
    }

    private byte[] Late()
    {
        if (_late.Count == 0)
        {
            return Data();
        }

        int at = _random.Next(_late.Count);
        var datagram = _late[at];
        _late.RemoveAt(at);
        return Remember(datagram);
    }

    private byte[] Replay() => _history.Count == 0 ? Control() : _random.Pick(_history);

    private byte[] Control() => Datagrams.Control(_random.Pick(ControlTypes), _random.Pick(_members), _ring);

    /// <summary>A few messages from one member, packed and fragmented by a real queue, numbered in order.</summary>
    private void FillBatch()
    {
        var sender = _random.Pick(_members);
        var queue = new OutboundQueue(_pool, 1000, _maxMessageSize);
        int messages = 1 + _random.Next(6);
        for (int i = 0; i < messages; i++)
        {
            int roll = _random.Next(100);
            int length = roll switch
            {
                < 70 => _random.Next(200),
                < 95 => _random.Next(200, 2000),
                _ => _random.Next(2000, 6000),
            };
            var payload = new byte[Math.Min(length, _maxMessageSize)];
            _random.NextBytes(payload);
            queue.TryEnqueue(payload, (ServiceType)_random.Next(1, 7));
        }

        while (queue.TryTake(out var packet))
        {
            _batch.Enqueue(Datagrams.Seal(packet, ++_dataSeq, sender, _ring));
            _pool.Return(packet.Buffer);
        }
    }

    private byte[] Remember(byte[] datagram)
    {
        if (_history.Count < 256)
        {
            _history.Add(datagram);
        }
        else
        {
            _history[_random.Next(_history.Count)] = datagram;
        }

        return datagram;
    }

    private static byte[] Rewrite(byte[] datagram, NodeId sender, RingId ring)
    {
        var copy = (byte[])datagram.Clone();
        new PacketHeader((PacketType)copy[3], 0, copy.Length, sender, ring).Write(copy);
        return copy;
    }
}
