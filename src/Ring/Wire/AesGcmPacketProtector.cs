using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// <see cref="ClusterKeyMode.AesGcm"/>: the body is encrypted with AES-256-GCM, the header is the
/// associated data (readable, authenticated). <see cref="ClusterKeyMode.AesGmac"/>: nothing is
/// encrypted, the whole packet is associated data, so the packet stays readable and the engine's
/// own buffers are sealed in place; verifying computes the tag and compares it (no exception on
/// a bad one).
/// <para>
/// Every transmitter seals with its own key, derived from the cluster key and its node id, and the
/// 12-byte nonce is <c>low 32 bits of the transmitter id | counter u64</c>. A nonce is therefore
/// never used twice with one key: only that transmitter seals with its key (node ids are unique in
/// a cluster, derived from each node's endpoint) and its counter never repeats, within a run by
/// construction and across runs by <see cref="PacketProtector.FirstCounter"/> (and, with a state
/// directory, <see cref="Transport.PacketCounterStore"/>). A trailer whose transmitter was changed
/// selects another key, one whose counter was changed another nonce: both fail authentication.
/// A single key would need the sender id and the counter in 96 bits, and ids alone take 48: hence
/// the key per transmitter.
/// </para>
/// </summary>
internal sealed class AesGcmPacketProtector : PacketProtector
{
    private const int NonceSize = 12;

    /// <summary>Keys made for datagrams that have not authenticated (yet): few, so that forged transmitters cannot fill memory.</summary>
    private const int MaxUntrustedKeys = 16;

    private readonly bool _encrypt;
    private readonly byte[] _prk;
    private readonly AesGcm _own;
    private readonly Dictionary<NodeId, AesGcm> _trusted = [];
    private readonly Dictionary<NodeId, AesGcm> _untrusted = [];

    public AesGcmPacketProtector(ReadOnlySpan<byte> clusterKey, NodeId self, ulong firstCounter, bool encrypt)
        : base(self, firstCounter)
    {
        _encrypt = encrypt;
        _prk = ClusterKeyDerivation.Extract(clusterKey);
        _own = CreateKey(self);
        _trusted.Add(self, _own);
    }

    public override ClusterKeyMode Mode => _encrypt ? ClusterKeyMode.AesGcm : ClusterKeyMode.AesGmac;

    public override bool LeavesPacketReadable => !_encrypt;

    protected override void Seal(ReadOnlySpan<byte> packet, Span<byte> datagram, ulong counter)
    {
        int length = packet.Length;
        if (!packet.Overlaps(datagram))
        {
            packet[..(_encrypt ? PacketHeader.Size : length)].CopyTo(datagram);
        }

        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, Self, counter);
        if (_encrypt)
        {
            _own.Encrypt(nonce, packet[PacketHeader.Size..], datagram[PacketHeader.Size..length], datagram[^TagSize..], datagram[..PacketHeader.Size]);
        }
        else
        {
            _own.Encrypt(nonce, [], [], datagram[^TagSize..], datagram[..length]);
        }
    }

    protected override bool Verify(Span<byte> datagram, int length, NodeId transmitter, ulong counter)
    {
        var key = KeyOf(transmitter, out bool trusted);
        Span<byte> nonce = stackalloc byte[NonceSize];
        WriteNonce(nonce, transmitter, counter);
        if (!(_encrypt ? TryDecrypt(key, nonce, datagram, length) : HasTag(key, nonce, datagram, length)))
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

    private static bool TryDecrypt(AesGcm key, ReadOnlySpan<byte> nonce, Span<byte> datagram, int length)
    {
        var body = datagram[PacketHeader.Size..length];
        try
        {
            key.Decrypt(nonce, body, datagram[^TagSize..], body, datagram[..PacketHeader.Size]);
            return true;
        }
        catch (AuthenticationTagMismatchException)
        {
            return false;
        }
    }

    private static bool HasTag(AesGcm key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> datagram, int length)
    {
        Span<byte> tag = stackalloc byte[TagSize];
        key.Encrypt(nonce, [], [], tag, datagram[..length]);
        return CryptographicOperations.FixedTimeEquals(tag, datagram[^TagSize..]);
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

    private AesGcm KeyOf(NodeId transmitter, out bool trusted)
    {
        trusted = _trusted.TryGetValue(transmitter, out var key);
        if (key is not null || _untrusted.TryGetValue(transmitter, out key))
        {
            return key;
        }

        if (_untrusted.Count >= MaxUntrustedKeys)
        {
            DisposeAll(_untrusted);
        }

        key = CreateKey(transmitter);
        _untrusted.Add(transmitter, key);
        return key;
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
            ClusterKeyDerivation.TransmitterKey(_prk, transmitter, _encrypt, key);
            return new AesGcm(key, TagSize);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
