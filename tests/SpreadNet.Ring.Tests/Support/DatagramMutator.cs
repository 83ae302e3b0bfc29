using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>
/// Damages datagrams the way a fuzzer does: bit flips, random and boundary bytes and integers,
/// inserted, deleted, duplicated and truncated ranges.
/// </summary>
internal static class DatagramMutator
{
    private static readonly long[] Interesting =
    [
        0, 1, 2, -1, -2, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x1_0000,
        int.MaxValue, int.MinValue, uint.MaxValue, long.MaxValue, long.MinValue,
        PacketHeader.Size, DataPacket.EntriesOffset, 65_000, 65_001, 1 << 20, (1 << 20) + 1,
    ];

    /// <summary>Applies one to four random mutations to a copy of <paramref name="datagram"/>.</summary>
    public static byte[] Mutate(FastRandom random, ReadOnlySpan<byte> datagram)
    {
        var bytes = new List<byte>(datagram.Length + 64);
        foreach (byte b in datagram)
        {
            bytes.Add(b);
        }

        int mutations = 1 + random.Next(4);
        for (int i = 0; i < mutations; i++)
        {
            MutateOnce(random, bytes);
        }

        return [.. bytes];
    }

    /// <summary>
    /// Makes a mutated datagram pass the header check again, so that the body decoders see it:
    /// magic, version and length rewritten, type, sender and ring kept as mutated.
    /// </summary>
    public static void RepairHeader(byte[] datagram)
    {
        if (datagram.Length < PacketHeader.Size)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(datagram, PacketHeader.Magic);
        datagram[2] = PacketHeader.CurrentVersion;
        PacketHeader.WriteLength(datagram, datagram.Length);
    }

    private static void MutateOnce(FastRandom random, List<byte> bytes)
    {
        int choice = random.Next(10);
        if (bytes.Count == 0 && choice < 8)
        {
            choice = 8;
        }

        switch (choice)
        {
            case 0:
            {
                int at = random.Next(bytes.Count);
                bytes[at] ^= (byte)(1 << random.Next(8));
                break;
            }

            case 1:
                bytes[random.Next(bytes.Count)] = (byte)random.Next(256);
                break;
            case 2:
                bytes[random.Next(bytes.Count)] = (byte)random.Pick(Interesting);
                break;
            case 3:
            case 4:
            {
                int width = random.Chance(50) ? 4 : 8;
                int at = random.Next(bytes.Count);
                long value = random.Pick(Interesting) + (random.Chance(30) ? random.Next(-2, 3) : 0);
                for (int i = 0; i < width && at + i < bytes.Count; i++)
                {
                    bytes[at + i] = (byte)(value >> (8 * (width - 1 - i)));
                }

                break;
            }

            case 5:
            {
                int at = random.Next(bytes.Count);
                bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(16)));
                break;
            }

            case 6:
            {
                int keep = random.Next(bytes.Count);
                bytes.RemoveRange(keep, bytes.Count - keep);
                break;
            }

            case 7:
            {
                int from = random.Next(bytes.Count);
                int length = Math.Min(bytes.Count - from, 1 + random.Next(32));
                var chunk = bytes.GetRange(from, length);
                bytes.InsertRange(random.Next(bytes.Count + 1), chunk);
                break;
            }

            default:
            {
                var extra = new byte[1 + random.Next(random.Chance(90) ? 16 : 512)];
                random.NextBytes(extra);
                bytes.InsertRange(random.Next(bytes.Count + 1), extra);
                break;
            }
        }
    }
}
