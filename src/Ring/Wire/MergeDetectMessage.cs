using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// Announces a ring (the header's ring id) to a node outside it: <c>ringSeq u64 | settings</c>.
/// A node of another ring that hears it starts a merge; a node with different settings reports them.
/// </summary>
public static class MergeDetectMessage
{
    /// <summary>Encoded body size.</summary>
    public const int BodySize = 8 + SettingsBlock.Size;

    /// <summary>Writes the body.</summary>
    public static void Write(Span<byte> destination, ulong ringSeq, in SettingsBlock settings)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, ringSeq);
        settings.Write(destination[8..]);
    }

    /// <summary>Decodes a body.</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out ulong ringSeq, out SettingsBlock settings, out DropReason reason)
    {
        ringSeq = 0;
        settings = default;
        if (body.Length != BodySize || !SettingsBlock.TryRead(body[8..], out settings))
        {
            reason = DropReason.BadLength;
            return false;
        }

        ringSeq = BinaryPrimitives.ReadUInt64BigEndian(body);
        reason = default;
        return true;
    }
}
