using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// Keys derived from a cluster key with HKDF-SHA256, one per use, so that the key an operator
/// configures never authenticates or encrypts a packet itself, and the two modes never share a key.
/// </summary>
internal static class ClusterKeyDerivation
{
    /// <summary>Size of every derived key (HMAC-SHA256 and AES-256 keys alike).</summary>
    public const int KeySize = 32;

    /// <summary>Shortest cluster key accepted (128 bits).</summary>
    public const int MinClusterKeySize = 16;

    /// <summary>Longest cluster key accepted.</summary>
    public const int MaxClusterKeySize = 1024;

    private static ReadOnlySpan<byte> Salt => "SpreadNet cluster key v1"u8;

    private static ReadOnlySpan<byte> HmacInfo => "SpreadNet v1 packets hmac-sha256"u8;

    private static ReadOnlySpan<byte> AesGcmInfo => "SpreadNet v1 packets aes-256-gcm transmitter "u8;

    private static ReadOnlySpan<byte> AesGmacInfo => "SpreadNet v1 packets aes-gmac transmitter "u8;

    private static ReadOnlySpan<byte> FingerprintLabel => "SpreadNet fingerprint"u8;

    /// <summary>The pseudorandom key every subkey is expanded from (HKDF-Extract).</summary>
    public static byte[] Extract(ReadOnlySpan<byte> clusterKey)
    {
        var prk = new byte[KeySize];
        HKDF.Extract(HashAlgorithmName.SHA256, clusterKey, Salt, prk);
        return prk;
    }

    /// <summary>The HMAC-SHA256 key of <see cref="ClusterKeyMode.HmacSha256"/>.</summary>
    public static void HmacKey(ReadOnlySpan<byte> prk, Span<byte> destination) =>
        HKDF.Expand(HashAlgorithmName.SHA256, prk, destination[..KeySize], HmacInfo);

    /// <summary>
    /// The AES key of one transmitter, for <see cref="ClusterKeyMode.AesGcm"/> or (another key)
    /// <see cref="ClusterKeyMode.AesGmac"/>: each node seals with a key of its own, so that the 12-byte
    /// nonce need only be unique among that node's packets (see <see cref="AesGcmPacketProtector"/>).
    /// </summary>
    public static void TransmitterKey(ReadOnlySpan<byte> prk, NodeId transmitter, bool encrypt, Span<byte> destination)
    {
        var label = encrypt ? AesGcmInfo : AesGmacInfo;
        Span<byte> info = stackalloc byte[label.Length + 8];
        label.CopyTo(info);
        BinaryPrimitives.WriteUInt64BigEndian(info[label.Length..], transmitter.Value);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, destination[..KeySize], info);
    }

    /// <summary>
    /// Eight bytes that tell keys apart without revealing them (a MAC of a fixed label), sent in
    /// joins so that a mismatch that slipped past authentication still names ClusterKey. Never 0,
    /// which means "no key".
    /// </summary>
    public static ulong Fingerprint(ReadOnlySpan<byte> clusterKey)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(clusterKey, FingerprintLabel, mac);
        ulong fingerprint = BinaryPrimitives.ReadUInt64BigEndian(mac);
        return fingerprint == 0 ? 1 : fingerprint;
    }
}
