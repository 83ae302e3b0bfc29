using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// <see cref="ClusterKeyMode.AesGcm"/>: the body is encrypted with AES-256-GCM, the header is the
/// associated data (readable, authenticated). Every transmitter seals with its own key, derived
/// from the cluster key and its node id, and the 12-byte nonce is
/// <c>low 32 bits of the transmitter id | counter u64</c>. A nonce is therefore never used twice
/// with one key: only that transmitter seals with its key (ids are unique in a cluster, derived
/// from each node's endpoint) and its counter never repeats (<see cref="PacketProtector.FirstCounter"/>).
/// Changing the trailer's transmitter selects another key and changing its counter another nonce,
/// so both fail authentication. The sender id alone could not share 96 bits with a 64-bit counter
/// (ids are 48 bits), hence the key per transmitter.
/// </summary>
internal sealed class AesGcmPacketProtector : PacketProtector
{
    private const int NonceSize = 12;

    /// <summary>Keys made for datagrams that have not authenticated (yet): few, so that forged transmitters cannot fill memory.</summary>
    private const int MaxUntrustedKeys = 16;

    private readonly byte[] _prk;
    private readonly AesGcm _own;
    private readonly Dictionary<NodeId, AesGcm> _trusted = [];
    private readonly Dictionary<NodeId, AesGcm> _untrusted = [];

    public AesGcmPacketProtector(ReadOnlySpan<byte> clusterKey, NodeId self, ulong firstCounter)
        : base(self, firstCounter)
    {
        _prk = ClusterKeyDerivation.Extract(clusterKey);
        _own = CreateKey(self);
        _trusted.Add(self, _own);
    }

    public override ClusterKeyMode Mode => ClusterKeyMode.AesGcm;

    public override bool LeavesPacketReadable => false;

    protected override void Seal(ReadOnlySpan<byte> packet, Span<byte> datagram, ulong counter)
    {
        if (!packet.Overlaps(datagram))
        {
            packet[..PacketHeader.Size].CopyTo(datagram);
        }

        int length = packet.Length;
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, Self, counter);
        _own.Encrypt(nonce, packet[PacketHeader.Size..], datagram[PacketHeader.Size..length], datagram[^TagSize..], datagram[..PacketHeader.Size]);
    }

    protected override bool Verify(Span<byte> datagram, int length, NodeId transmitter, ulong counter)
    {
        bool trusted = _trusted.TryGetValue(transmitter, out var key);
        if (!trusted && !_untrusted.TryGetValue(transmitter, out key))
        {
            if (_untrusted.Count >= MaxUntrustedKeys)
            {
                DisposeAll(_untrusted);
            }

            key = CreateKey(transmitter);
            _untrusted.Add(transmitter, key);
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, transmitter, counter);
        var body = datagram[PacketHeader.Size..length];
        try
        {
            key!.Decrypt(nonce, body, datagram[^TagSize..], body, datagram[..PacketHeader.Size]);
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }

        if (!trusted)
        {
            Trust(transmitter, key);
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            DisposeAll(_trusted);
            DisposeAll(_untrusted);
            CryptographicOperations.ZeroMemory(_prk);
        }
    }

    private static void WriteNonce(Span<byte> nonce, NodeId transmitter, ulong counter)
    {
        BinaryPrimitives.WriteUInt32BigEndian(nonce, (uint)transmitter.Value);
        BinaryPrimitives.WriteUInt64BigEndian(nonce[4..], counter);
    }

    private static void DisposeAll(Dictionary<NodeId, AesGcm> keys)
    {
        foreach (var key in keys.Values)
        {
            key.Dispose();
        }

        keys.Clear();
    }

    private void Trust(NodeId transmitter, AesGcm key)
    {
        _untrusted.Remove(transmitter);
        if (_trusted.Count >= MaxTransmitters)
        {
            // More authentic transmitters than any ring has: drop one (not this node's own key); it is derived again if heard.
            var evicted = _trusted.Keys.First(node => node != Self);
            _trusted[evicted].Dispose();
            _trusted.Remove(evicted);
        }

        _trusted.Add(transmitter, key);
    }

    private AesGcm CreateKey(NodeId transmitter)
    {
        Span<byte> key = stackalloc byte[ClusterKeyDerivation.KeySize];
        try
        {
            ClusterKeyDerivation.TransmitterKey(_prk, transmitter, key);
            return new AesGcm(key, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
