using System.Diagnostics;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Wire;
using Xunit.Abstractions;

namespace SpreadNet.Ring.Tests;

/// <summary>
/// The opener under fuzzing, in the style of <see cref="DecoderFuzzTests"/>: random buffers,
/// damaged sealed datagrams and replays go into a receiving protector of every mode. Nothing may
/// throw; nothing but an undamaged datagram opened for the first time may open, and what opens
/// is exactly the packet sealed. Size and seed from <see cref="FuzzConfig"/>.
/// </summary>
public sealed class PacketOpenerFuzzTests(ITestOutputHelper output)
{
    private const int MaxPacket = 9_000;

    [Fact]
    public void Open_RandomDamagedAndReplayedDatagrams_NeverThrowsAndOpensOnlyFreshOriginals()
    {
        int count = Math.Max(1_000, FuzzConfig.Count / 2);
        ulong seed = FuzzConfig.Seed ^ 0x5EA1;
        var stopwatch = Stopwatch.StartNew();
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var mode in SealedTraffic.Modes)
        {
            FuzzMode(mode, count / SealedTraffic.Modes.Length, seed + (ulong)mode, totals);
        }

        output.WriteLine($"Fuzzed {count:N0} datagrams into the opener in {stopwatch.Elapsed.TotalSeconds:F1} s (seed {seed}).");
        output.WriteLine(string.Join(", ", totals.Select(t => $"{t.Key} {t.Value:N0}")));
        if (count >= 20_000)
        {
            Assert.All(SealedTraffic.Modes, mode =>
            {
                Assert.True(totals[$"{mode} {OpenResult.Opened}"] > 0);
                Assert.True(totals[$"{mode} {OpenResult.Replayed}"] > 0);
                Assert.True(totals[$"{mode} {OpenResult.BadAuthentication}"] > 0);
            });
        }
    }

    private static void FuzzMode(ClusterKeyMode mode, int count, ulong seed, SortedDictionary<string, long> totals)
    {
        var random = new FastRandom(seed);
        NodeId[] transmitters = [Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC];
        var senders = transmitters.Select(t => SealedTraffic.Protector(mode, t, firstCounter: (ulong)random.Next(1, 1 << 30))).ToArray();
        using var receiver = SealedTraffic.Protector(mode, new NodeId(0x7F00_0001_1000));
        using var stranger = SealedTraffic.Protector(mode, Datagrams.NodeA, key: SealedTraffic.OtherKey);
        var sent = new List<(byte[] Datagram, byte[] Packet)>();
        var opened = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        try
        {
            for (int i = 0; i < count; i++)
            {
                byte[] input = [];
                try
                {
                    int kind = random.Next(100);
                    byte[]? original = null;
                    byte[]? packet = null;
                    if (kind < 15)
                    {
                        input = new byte[random.Chance(50) ? random.Next(MaxPacket) : random.Next(80)];
                        random.NextBytes(input);
                        if (random.Chance(50) && input.Length >= PacketHeader.Size)
                        {
                            // Random body behind a plausible sealed header.
                            new PacketHeader(PacketType.Data, 0, input.Length - PacketProtector.TrailerSize, Datagrams.NodeA, Datagrams.Ring).Write(input);
                        }
                    }
                    else if (kind < 45 || sent.Count == 0)
                    {
                        var sender = random.Pick(senders);
                        packet = SealedTraffic.Packet(PacketHeader.Size + random.Next(MaxPacket - PacketHeader.Size), random.Pick(transmitters), (PacketType)random.Next(1, 8));
                        original = SealedTraffic.Seal(sender, packet);
                        sent.Add((original, packet));
                        if (sent.Count > 4_000)
                        {
                            sent.RemoveRange(0, 2_000);
                        }

                        input = original;
                    }
                    else if (kind < 55)
                    {
                        (original, packet) = random.Pick(sent);
                        input = original;
                    }
                    else if (kind < 60)
                    {
                        input = SealedTraffic.Seal(stranger, SealedTraffic.Packet(PacketHeader.Size + random.Next(500), Datagrams.NodeA));
                    }
                    else
                    {
                        var (source, _) = random.Pick(sent);
                        input = DatagramMutator.Mutate(random, source);
                        if (random.Chance(50))
                        {
                            DatagramMutator.RepairHeader(input);
                            if (input.Length >= PacketHeader.Size + PacketProtector.TrailerSize && random.Chance(70))
                            {
                                PacketHeader.WriteLength(input, input.Length - PacketProtector.TrailerSize);
                            }
                        }

                        // A mutation that changed nothing is a replay of its source, judged as one.
                        if (input.AsSpan().SequenceEqual(source))
                        {
                            continue;
                        }
                    }

                    var result = SealedTraffic.Open(receiver, input, out var opening);
                    totals[$"{mode} {result}"] = totals.GetValueOrDefault($"{mode} {result}") + 1;
                    if (original is null)
                    {
                        Assert.NotEqual(OpenResult.Opened, result);
                    }
                    else if (opened.Add(original))
                    {
                        Assert.Equal(OpenResult.Opened, result);
                        Assert.Equal(packet, opening);
                    }
                    else
                    {
                        Assert.Equal(OpenResult.Replayed, result);
                    }
                }
                catch (Exception exception)
                {
                    throw new InvalidOperationException(
                        $"{mode} fuzz input #{i} failed (replay with SPREADNET_FUZZ_SEED, SPREADNET_FUZZ_COUNT; seed {seed}): {exception.Message}; input {FuzzConfig.Describe(input)}",
                        exception);
                }
            }
        }
        finally
        {
            foreach (var sender in senders)
            {
                sender.Dispose();
            }
        }
    }
}
