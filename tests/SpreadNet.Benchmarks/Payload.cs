using System.Buffers.Binary;
using System.Diagnostics;

namespace SpreadNet.Benchmarks;

/// <summary>Which part of a run a message belongs to.</summary>
internal enum Phase : byte
{
    Throughput = 0,
    Latency = 1,
}

/// <summary>
/// The benchmark's message layout, 16 bytes then filler up to the requested size: submit
/// timestamp in Stopwatch ticks (0 when the message is not sampled for latency), the sender's
/// per-node sequence number, sender index, phase.
/// </summary>
internal static class Payload
{
    public const int HeaderSize = 16;

    public static readonly double NanosPerTick = 1e9 / Stopwatch.Frequency;

    public static void Write(Span<byte> payload, long timestamp, uint sequence, int sender, Phase phase)
    {
        BinaryPrimitives.WriteInt64LittleEndian(payload, timestamp);
        BinaryPrimitives.WriteUInt32LittleEndian(payload[8..], sequence);
        BinaryPrimitives.WriteUInt16LittleEndian(payload[12..], (ushort)sender);
        payload[14] = (byte)phase;
    }

    public static long Timestamp(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadInt64LittleEndian(payload);

    /// <summary>Sequence number and sender in one value: the message's identity.</summary>
    public static ulong Identity(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt64LittleEndian(payload[8..]) & 0xFFFF_FFFF_FFFF;

    public static int Sender(ReadOnlySpan<byte> payload) => BinaryPrimitives.ReadUInt16LittleEndian(payload[12..]);

    public static Phase PhaseOf(ReadOnlySpan<byte> payload) => (Phase)payload[14];

    public static long TicksFromSeconds(double seconds) => (long)(seconds * Stopwatch.Frequency);
}
