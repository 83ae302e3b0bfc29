using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// Seals outgoing ring datagrams with the cluster key and opens incoming ones, sans-IO, so that
/// the UDP loop and tests use the same code. A sealed datagram is the packet (header and body,
/// the header's length field counting only them) followed by a trailer:
/// <c>transmitter u64 | counter u64 | tag (16 bytes)</c>, all big-endian. The transmitter is the
/// node that sealed it (not necessarily the header's sender: members retransmit each other's data
/// packets); its counter goes up by one for every datagram it seals and never repeats, so a
/// receiver keeps one <see cref="ReplayWindow"/> per transmitter and accepts each datagram once.
/// The tag covers the header, the body and both trailer fields, so a packet cannot be moved to
/// another ring id or given another counter. Not thread-safe: one per event loop.
/// </summary>
internal abstract class PacketProtector : IDisposable
{
    /// <summary>Bytes a sealed datagram carries after the packet.</summary>
    public const int TrailerSize = 8 + 8 + TagSize;

    /// <summary>Authentication tag size in bytes (128 bits).</summary>
    public const int TagSize = 16;

    /// <summary>
    /// Counters start at the Unix time in milliseconds shifted left this far, leaving room for
    /// 2^20 (about a million) datagrams per millisecond before a node's counter could run ahead of a
    /// later start; no UDP sender gets near that.
    /// </summary>
    public const int CounterShift = 20;

    /// <summary>Transmitters whose replay windows are kept; beyond it the least recently heard is forgotten.</summary>
    public const int MaxTransmitters = 1024;

    private readonly Dictionary<NodeId, ReplayWindow> _windows = [];
    private readonly Dictionary<NodeId, long> _lastHeard = [];
    private ulong _nextCounter;
    private long _opened;

    protected PacketProtector(NodeId self, ulong firstCounter)
    {
        if (self.IsNone)
        {
            throw new ArgumentException("A node id must not be zero.", nameof(self));
        }

        Self = self;
        _nextCounter = firstCounter;
    }

    /// <summary>The node whose datagrams this protector seals (the transmitter it writes).</summary>
    public NodeId Self { get; }

    /// <summary>The counter the next sealed datagram gets.</summary>
    public ulong NextCounter => _nextCounter;

    /// <summary>The mode this protector implements.</summary>
    public abstract ClusterKeyMode Mode { get; }

    /// <summary>
    /// Whether sealing leaves the packet's own bytes as they were (only the trailer is written), so
    /// a buffer the engine keeps may be sealed in place.
    /// </summary>
    public abstract bool LeavesPacketReadable { get; }

    /// <summary>Creates the protector of <paramref name="self"/> for a cluster key and mode.</summary>
    public static PacketProtector Create(ReadOnlySpan<byte> clusterKey, ClusterKeyMode mode, NodeId self, ulong firstCounter) => mode switch
    {
        ClusterKeyMode.HmacSha256 => new HmacPacketProtector(clusterKey, self, firstCounter),
        ClusterKeyMode.AesGcm => new AesGcmPacketProtector(clusterKey, self, firstCounter, encrypt: true),
        ClusterKeyMode.AesGmac => new AesGcmPacketProtector(clusterKey, self, firstCounter, encrypt: false),
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown cluster key mode."),
    };

    /// <summary>
    /// The first counter of a node started at <paramref name="utcNow"/>. A node that ran before,
    /// from wall time T0 to T1, used counters below (T1 + 1) &lt;&lt; 20 unless it sealed more than
    /// 2^20 datagrams per millisecond on average; a restart reads the clock after T1, so its counters
    /// start above every earlier one, unless the clock was set back by more than the restart took.
    /// </summary>
    public static ulong FirstCounter(DateTimeOffset utcNow)
    {
        long millis = utcNow.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(millis, nameof(utcNow));
        return (ulong)millis << CounterShift;
    }

    /// <summary>
    /// Seals the packet in the first <paramref name="length"/> bytes of <paramref name="buffer"/>
    /// where it lies, writing the trailer after it (and, in a mode that encrypts, encrypting the
    /// body in place). Returns the datagram length.
    /// </summary>
    public int SealInPlace(Span<byte> buffer, int length)
    {
        CheckRoom(length, buffer.Length);
        ulong counter = TakeCounter();
        WriteTrailerFields(buffer.Slice(length, 16), counter);
        Seal(buffer[..length], buffer[..(length + TrailerSize)], counter);
        return length + TrailerSize;
    }

    /// <summary>Seals <paramref name="packet"/> into <paramref name="destination"/>; returns the datagram length.</summary>
    public int Seal(ReadOnlySpan<byte> packet, Span<byte> destination)
    {
        CheckRoom(packet.Length, destination.Length);
        ulong counter = TakeCounter();
        var datagram = destination[..(packet.Length + TrailerSize)];
        WriteTrailerFields(datagram.Slice(packet.Length, 16), counter);
        Seal(packet, datagram, counter);
        return datagram.Length;
    }

    /// <summary>
    /// Authenticates a received datagram in place (decrypting it in a mode that encrypts) and checks
    /// its counter against its transmitter's replay window. Only on <see cref="OpenResult.Opened"/>
    /// is <paramref name="packetLength"/> set: the packet is then the first that many bytes. Never
    /// throws on any input.
    /// </summary>
    public OpenResult Open(Span<byte> datagram, out int packetLength)
    {
        packetLength = 0;
        if (datagram.Length < PacketHeader.Size || BinaryPrimitives.ReadUInt16BigEndian(datagram) != PacketHeader.Magic)
        {
            return OpenResult.NotSpreadNet;
        }

        int declared = BinaryPrimitives.ReadInt32BigEndian(datagram[8..]);
        if (declared == datagram.Length)
        {
            return OpenResult.Unsealed;
        }

        if (datagram.Length < PacketHeader.Size + TrailerSize)
        {
            return OpenResult.TooShort;
        }

        int length = datagram.Length - TrailerSize;
        var transmitter = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[length..]));
        ulong counter = BinaryPrimitives.ReadUInt64BigEndian(datagram[(length + 8)..]);
        if (declared != length || transmitter.IsNone || !Verify(datagram, length, transmitter, counter))
        {
            return OpenResult.BadAuthentication;
        }

        if (!WindowOf(transmitter).TryAccept(counter))
        {
            return OpenResult.Replayed;
        }

        packetLength = length;
        return OpenResult.Opened;
    }

    /// <summary>The transmitter named in a datagram's trailer, for reports; trustworthy only once the datagram authenticated.</summary>
    public static NodeId TransmitterOf(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= PacketHeader.Size + TrailerSize
            ? new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[^TrailerSize..]))
            : NodeId.None;

    /// <summary>Whether a datagram looks sealed (its header counts all but a trailer): what a node without a key checks to report one with.</summary>
    public static bool LooksSealed(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= PacketHeader.Size + TrailerSize
        && BinaryPrimitives.ReadUInt16BigEndian(datagram) == PacketHeader.Magic
        && BinaryPrimitives.ReadInt32BigEndian(datagram[8..]) == datagram.Length - TrailerSize;

    /// <inheritdoc />
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases the keys.</summary>
    protected abstract void Dispose(bool disposing);

    /// <summary>
    /// Writes the sealed form of <paramref name="packet"/> into <paramref name="datagram"/> (packet
    /// length plus trailer, its transmitter and counter fields already written). The two may be the
    /// same memory (sealing in place), never partly overlapping.
    /// </summary>
    protected abstract void Seal(ReadOnlySpan<byte> packet, Span<byte> datagram, ulong counter);

    /// <summary>Checks the tag of <paramref name="datagram"/> and, in a mode that encrypts, decrypts its body in place.</summary>
    protected abstract bool Verify(Span<byte> datagram, int length, NodeId transmitter, ulong counter);

    private static void CheckRoom(int packetLength, int available)
    {
        if (packetLength < PacketHeader.Size || available < packetLength + TrailerSize)
        {
            throw new ArgumentException($"A packet of {packetLength} bytes needs a header ({PacketHeader.Size} bytes) and {TrailerSize} bytes after it to be sealed; {available} available.");
        }
    }

    private void WriteTrailerFields(Span<byte> fields, ulong counter)
    {
        BinaryPrimitives.WriteUInt64BigEndian(fields, Self.Value);
        BinaryPrimitives.WriteUInt64BigEndian(fields[8..], counter);
    }

    private ulong TakeCounter()
    {
        // A counter that wrapped would repeat nonces; 2^64 datagrams is out of reach, so this is a bug.
        if (_nextCounter == ulong.MaxValue)
        {
            throw new InvalidOperationException("The packet counter is exhausted.");
        }

        return _nextCounter++;
    }

    private ReplayWindow WindowOf(NodeId transmitter)
    {
        _opened++;
        if (!_windows.TryGetValue(transmitter, out var window))
        {
            if (_windows.Count >= MaxTransmitters)
            {
                ForgetLeastRecentlyHeard();
            }

            window = new ReplayWindow();
            _windows.Add(transmitter, window);
        }

        _lastHeard[transmitter] = _opened;
        return window;
    }

    private void ForgetLeastRecentlyHeard()
    {
        var oldest = _lastHeard.MinBy(entry => entry.Value).Key;
        _windows.Remove(oldest);
        _lastHeard.Remove(oldest);
    }
}
