using System.Buffers.Binary;
using System.Globalization;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// The settings that must be equal on every node of a ring, carried in join and merge-detect
/// messages so that a node with different settings is refused, and named, instead of silently
/// breaking the ring (as Spread's configuration hash did).
/// </summary>
public readonly record struct SettingsBlock(
    int MaxDatagramSize,
    int MaxMessageSize,
    int WindowSize,
    int ReceiveWindow,
    long TokenLossMicros,
    long TokenRetransmitMicros,
    long TokenHoldMicros,
    long JoinMicros,
    long ConsensusMicros,
    ulong KeyFingerprint)
{
    /// <summary>Encoded size in bytes.</summary>
    public const int Size = 64;

    /// <summary>Writes the block.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination, MaxDatagramSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], MaxMessageSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], WindowSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], ReceiveWindow);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], TokenLossMicros);
        BinaryPrimitives.WriteInt64BigEndian(destination[24..], TokenRetransmitMicros);
        BinaryPrimitives.WriteInt64BigEndian(destination[32..], TokenHoldMicros);
        BinaryPrimitives.WriteInt64BigEndian(destination[40..], JoinMicros);
        BinaryPrimitives.WriteInt64BigEndian(destination[48..], ConsensusMicros);
        BinaryPrimitives.WriteUInt64BigEndian(destination[56..], KeyFingerprint);
    }

    /// <summary>Reads a block; false if too short.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out SettingsBlock block)
    {
        if (source.Length < Size)
        {
            block = default;
            return false;
        }

        block = new SettingsBlock(
            BinaryPrimitives.ReadInt32BigEndian(source),
            BinaryPrimitives.ReadInt32BigEndian(source[4..]),
            BinaryPrimitives.ReadInt32BigEndian(source[8..]),
            BinaryPrimitives.ReadInt32BigEndian(source[12..]),
            BinaryPrimitives.ReadInt64BigEndian(source[16..]),
            BinaryPrimitives.ReadInt64BigEndian(source[24..]),
            BinaryPrimitives.ReadInt64BigEndian(source[32..]),
            BinaryPrimitives.ReadInt64BigEndian(source[40..]),
            BinaryPrimitives.ReadInt64BigEndian(source[48..]),
            BinaryPrimitives.ReadUInt64BigEndian(source[56..]));
        return true;
    }

    /// <summary>The first setting on which <paramref name="theirs"/> differs from this block, or null.</summary>
    public SettingDifference? FirstDifference(in SettingsBlock theirs)
    {
        if (KeyFingerprint != theirs.KeyFingerprint)
        {
            return new SettingDifference(
                "ClusterKey",
                KeyFingerprint == 0 ? "none" : "a key",
                theirs.KeyFingerprint == 0 ? "none" : "a different key",
                "give every node of the ring the same cluster key");
        }

        return Compare("MaxDatagramSize", MaxDatagramSize, theirs.MaxDatagramSize)
            ?? Compare("MaxMessageSize", MaxMessageSize, theirs.MaxMessageSize)
            ?? Compare("WindowSize", WindowSize, theirs.WindowSize)
            ?? Compare("ReceiveWindow", ReceiveWindow, theirs.ReceiveWindow)
            ?? CompareTime("TokenLossTimeout", TokenLossMicros, theirs.TokenLossMicros)
            ?? CompareTime("TokenRetransmitTimeout", TokenRetransmitMicros, theirs.TokenRetransmitMicros)
            ?? CompareTime("TokenHoldTimeout", TokenHoldMicros, theirs.TokenHoldMicros)
            ?? CompareTime("JoinTimeout", JoinMicros, theirs.JoinMicros)
            ?? CompareTime("ConsensusTimeout", ConsensusMicros, theirs.ConsensusMicros);
    }

    private static SettingDifference? Compare(string setting, long mine, long theirs) =>
        mine == theirs
            ? null
            : new SettingDifference(setting, mine.ToString(CultureInfo.InvariantCulture), theirs.ToString(CultureInfo.InvariantCulture), $"set {setting} to the same value on every node of the ring");

    private static SettingDifference? CompareTime(string setting, long mine, long theirs) =>
        mine == theirs
            ? null
            : new SettingDifference(setting, Millis(mine), Millis(theirs), $"set {setting} to the same value on every node of the ring (or use the same preset everywhere)");

    private static string Millis(long micros) => string.Create(CultureInfo.InvariantCulture, $"{micros / 1000.0} ms");
}

/// <summary>A setting that differs between two nodes: its name, both values and the fix.</summary>
public sealed record SettingDifference(string Setting, string Mine, string Theirs, string Fix);
