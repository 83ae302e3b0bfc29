using System.Security.Cryptography;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// <see cref="ClusterKeyMode.HmacSha256"/>: the tag is HMAC-SHA256, truncated to 16 bytes, of the
/// packet and the trailer's transmitter and counter. The packet stays readable, so the engine's
/// own buffers are sealed in place.
/// </summary>
internal sealed class HmacPacketProtector : PacketProtector
{
    private readonly IncrementalHash _hmac;

    public HmacPacketProtector(ReadOnlySpan<byte> clusterKey, NodeId self, ulong firstCounter)
        : base(self, firstCounter)
    {
        var prk = ClusterKeyDerivation.Extract(clusterKey);
        Span<byte> key = stackalloc byte[ClusterKeyDerivation.KeySize];
        try
        {
            ClusterKeyDerivation.HmacKey(prk, key);
            _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(prk);
        }
    }

    public override ClusterKeyMode Mode => ClusterKeyMode.HmacSha256;

    public override bool LeavesPacketReadable => true;

    protected override void Seal(ReadOnlySpan<byte> packet, Span<byte> datagram, ulong counter)
    {
        if (!packet.Overlaps(datagram))
        {
            packet.CopyTo(datagram);
        }

        int covered = datagram.Length - TagSize;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.AppendData(datagram[..covered]);
        _hmac.GetHashAndReset(mac);
        mac[..TagSize].CopyTo(datagram[covered..]);
    }

    protected override bool Verify(Span<byte> datagram, int length, NodeId transmitter, ulong counter)
    {
        int covered = datagram.Length - TagSize;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        _hmac.AppendData(datagram[..covered]);
        _hmac.GetHashAndReset(mac);
        return CryptographicOperations.FixedTimeEquals(mac[..TagSize], datagram[covered..]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hmac.Dispose();
        }
    }
}
