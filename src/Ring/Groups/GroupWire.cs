using System.Buffers.Binary;
using System.Text;

namespace SpreadNet.Ring.Groups;

/// <summary>Group-layer message types, the first byte of every group-layer ring message.</summary>
internal enum GroupMessageType : byte
{
    Data = 1,
    Join = 2,
    Leave = 3,
    End = 4,
    State = 5,
}

/// <summary>
/// Layouts of group-layer messages (big-endian; names are length-prefixed ASCII):
/// <code>
/// Data  : type | flags u8 | session u32 | request u32 | session name | groups u8 | group names... | payload
/// Join  : type | session u32 | request u32 | session name | group name
/// Leave : type | session u32 | request u32 | group name
/// End   : type | session u32
/// State : type | ring representative u64 | ring sequence u64 | last u8 | count u32 | (session u32 | session name | group name) x count
/// </code>
/// A State message lists the groups its node's sessions are in, sent by every member after a
/// ring configuration change; the other types are the operations of one session.
/// </summary>
internal static class GroupWire
{
    public const byte SelfDiscardFlag = 1;

    /// <summary>Most groups one message may be sent to (as Spread's MAX_GROUPS_PER_MESSAGE).</summary>
    public const int MaxGroupsPerMessage = 100;

    public const int StateHeaderSize = 1 + 8 + 8 + 1 + 4;

    public static int DataHeaderSize<TGroups>(string sessionName, TGroups groups)
        where TGroups : IReadOnlyList<string>
    {
        int size = 1 + 1 + 4 + 4 + 1 + sessionName.Length + 1;
        for (int i = 0; i < groups.Count; i++)
        {
            size += 1 + groups[i].Length;
        }

        return size;
    }

    public static int WriteData<TGroups>(Span<byte> destination, byte flags, uint session, uint request, string sessionName, TGroups groups)
        where TGroups : IReadOnlyList<string>
    {
        destination[0] = (byte)GroupMessageType.Data;
        destination[1] = flags;
        BinaryPrimitives.WriteUInt32BigEndian(destination[2..], session);
        BinaryPrimitives.WriteUInt32BigEndian(destination[6..], request);
        int offset = 10 + WriteName(destination[10..], sessionName);
        destination[offset++] = (byte)groups.Count;
        for (int i = 0; i < groups.Count; i++)
        {
            offset += WriteName(destination[offset..], groups[i]);
        }

        return offset;
    }

    public static byte[] Join(uint session, uint request, string sessionName, string group)
    {
        var message = new byte[1 + 4 + 4 + 1 + sessionName.Length + 1 + group.Length];
        message[0] = (byte)GroupMessageType.Join;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), session);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(5), request);
        int offset = 9 + WriteName(message.AsSpan(9), sessionName);
        WriteName(message.AsSpan(offset), group);
        return message;
    }

    public static byte[] Leave(uint session, uint request, string group)
    {
        var message = new byte[1 + 4 + 4 + 1 + group.Length];
        message[0] = (byte)GroupMessageType.Leave;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), session);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(5), request);
        WriteName(message.AsSpan(9), group);
        return message;
    }

    public static byte[] End(uint session)
    {
        var message = new byte[5];
        message[0] = (byte)GroupMessageType.End;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(1), session);
        return message;
    }

    public static void WriteStateHeader(Span<byte> destination, RingId ring, bool last, int count)
    {
        destination[0] = (byte)GroupMessageType.State;
        BinaryPrimitives.WriteUInt64BigEndian(destination[1..], ring.Representative.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[9..], ring.Sequence);
        destination[17] = last ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(destination[18..], count);
    }

    public static int StateEntrySize(string sessionName, string group) => 4 + 1 + sessionName.Length + 1 + group.Length;

    public static int WriteStateEntry(Span<byte> destination, uint session, string sessionName, string group)
    {
        BinaryPrimitives.WriteUInt32BigEndian(destination, session);
        int offset = 4 + WriteName(destination[4..], sessionName);
        return offset + WriteName(destination[offset..], group);
    }

    private static int WriteName(Span<byte> destination, string name)
    {
        destination[0] = (byte)name.Length;
        return 1 + Encoding.ASCII.GetBytes(name, destination[1..]);
    }
}

/// <summary>
/// Reads a group-layer message received from the ring. Input is untrusted: every read checks the
/// bounds and every name its characters; a failed read means the message is dropped.
/// </summary>
internal ref struct GroupReader
{
    private readonly ReadOnlySpan<byte> _message;

    public GroupReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        Offset = 0;
    }

    public int Offset { get; private set; }

    public readonly int Remaining => _message.Length - Offset;

    public bool TryReadByte(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _message[Offset++];
        return true;
    }

    public bool TryReadUInt32(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_message[Offset..]);
        Offset += 4;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining < 8)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt64BigEndian(_message[Offset..]);
        Offset += 8;
        return true;
    }

    /// <summary>
    /// Reads a name into <paramref name="chars"/> (at least 255 long): 1 to <paramref name="maxLength"/>
    /// allowed characters, a leading <c>#</c> only when <paramref name="allowPrivate"/>.
    /// </summary>
    public bool TryReadName(Span<char> chars, int maxLength, bool allowPrivate, out int length)
    {
        length = 0;
        if (!TryReadByte(out byte count) || count == 0 || count > Remaining)
        {
            return false;
        }

        var bytes = _message.Slice(Offset, count);
        Offset += count;
        bool isPrivate = allowPrivate && bytes[0] == (byte)'#';
        if (!isPrivate && count > maxLength)
        {
            return false;
        }

        for (int i = 0; i < count; i++)
        {
            char c = (char)bytes[i];
            if (!GroupNames.IsValidChar(c) && !(isPrivate && c == '#'))
            {
                return false;
            }

            chars[i] = c;
        }

        length = count;
        return true;
    }
}
