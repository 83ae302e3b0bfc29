using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Transport;

/// <summary>
/// The event loop's side of the cluster key: datagrams are sealed just before the socket and
/// opened just after it, so the engine never sees a trailer, and a datagram that fails is counted
/// and reported, never handed to the engine.
/// </summary>
internal sealed partial class UdpEventLoop
{
    /// <summary>Seals a packet the engine built for one send (a token, a join...) into the loop's scratch buffer.</summary>
    private ReadOnlySpan<byte> Seal(ReadOnlySpan<byte> packet)
    {
        if (_sealed.Length < packet.Length + PacketProtector.TrailerSize)
        {
            // Only membership packets of very large rings outgrow a datagram buffer.
            _sealed = new byte[packet.Length + PacketProtector.TrailerSize];
        }

        _counters!.EnsureReserved(_protector!.NextCounter);
        int length = _protector.Seal(packet, _sealed);
        return _sealed.AsSpan(0, length);
    }

    /// <summary>
    /// Seals a data packet the engine keeps: where the mode leaves the packet readable and its
    /// buffer has room (the outbound queue and received datagrams leave it), in place and once for
    /// every destination; otherwise into the scratch buffer (encrypting is that copy).
    /// </summary>
    private ReadOnlySpan<byte> SealHeld(byte[] buffer, int length)
    {
        if (_protector!.LeavesPacketReadable && buffer.Length - length >= PacketProtector.TrailerSize)
        {
            _counters!.EnsureReserved(_protector.NextCounter);
            return buffer.AsSpan(0, _protector.SealInPlace(buffer, length));
        }

        return Seal(buffer.AsSpan(0, length));
    }

    /// <summary>Opens a received datagram in its pool buffer and hands the packet, without its trailer, to the engine.</summary>
    private void ReceiveSealed(TotemEngine engine, byte[] buffer, int received)
    {
        // A wake-up carries nothing but waking the loop, which any datagram does: drop it unauthenticated.
        if (received == PacketHeader.Size && buffer[3] == (byte)PacketType.Wake)
        {
            _pool.Return(buffer);
            return;
        }

        var datagram = buffer.AsSpan(0, received);
        switch (_protector!.Open(datagram, out int length))
        {
            case OpenResult.Opened:
                engine.OnDatagram(buffer, length, _clock.NowMicros);
                break;
            case OpenResult.NotSpreadNet:
                engine.Counters.Drop(DropReason.BadMagic);
                _pool.Return(buffer);
                break;
            case OpenResult.Unsealed:
                DropUnauthenticated(engine, buffer, AuthenticationProblem.Unsealed, DropReason.BadAuthentication, SourceOf(_receiveAddress));
                break;
            case OpenResult.TooShort:
                DropUnauthenticated(engine, buffer, AuthenticationProblem.BadTag, DropReason.TooShort, SourceOf(_receiveAddress));
                break;
            case OpenResult.Replayed:
                // Authentic: the trailer names the transmitter truly.
                DropUnauthenticated(engine, buffer, AuthenticationProblem.Replayed, DropReason.Replayed, PacketProtector.TransmitterOf(datagram));
                break;
            default:
                DropUnauthenticated(engine, buffer, AuthenticationProblem.BadTag, DropReason.BadAuthentication, SourceOf(_receiveAddress));
                break;
        }
    }

    private void DropUnauthenticated(TotemEngine engine, byte[] buffer, AuthenticationProblem problem, DropReason reason, NodeId source)
    {
        _pool.Return(buffer);
        engine.Counters.Drop(reason);
        if (_reporter.Record(problem, source, _clock.NowMicros) is { } report)
        {
            EventRaised?.Invoke(report);
        }
    }

    /// <summary>
    /// The node id of a datagram's source address, without allocating: an unauthenticated datagram
    /// is named by where it came from, not by the sender it claims.
    /// </summary>
    private static NodeId SourceOf(SocketAddress address)
    {
        // sockaddr_in: family (2 bytes), port (2, big-endian), IPv4 address (4).
        var bytes = address.Buffer.Span;
        if (address.Family != AddressFamily.InterNetwork || bytes.Length < 8)
        {
            return NodeId.None;
        }

        ulong ip = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        return new NodeId((ip << 16) | BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]));
    }
}
