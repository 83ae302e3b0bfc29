using System.Diagnostics;

namespace SpreadNet.Benchmarks;

/// <summary>Everything the ring scenario measures, read at one instant.</summary>
internal sealed record RingSnapshot(
    long Timestamp,
    long MinDelivered,
    long[] Delivered,
    long[] Submitted,
    long PacketsSent,
    long PacketsRetransmitted,
    long TokensReceivedAtFirst,
    long TokenRetransmits,
    long TokenLosses,
    long Dropped,
    ThreadCpu.Sample Cpu,
    int Gen0Collections,
    int Gen2Collections,
    long AllocatedBytes)
{
    /// <summary>
    /// Reads everything; the CPU split only when <paramref name="readCpu"/> (it reads a file per
    /// thread: tens of KB of garbage that would count in the allocation of the measured window).
    /// </summary>
    public static RingSnapshot Take(RingCluster cluster, RingLoad? load, bool readCpu = true)
    {
        var counters = cluster.Nodes.Select(n => n.Counters).ToArray();
        return new RingSnapshot(
            Stopwatch.GetTimestamp(),
            cluster.MinDelivered(),
            [.. cluster.Probes.Select(p => p.Delivered)],
            load?.SubmittedPerNode() ?? new long[cluster.Nodes.Count],
            counters.Sum(c => c.PacketsSent),
            counters.Sum(c => c.PacketsRetransmitted),
            counters[0].TokensReceived,
            counters.Sum(c => c.TokenRetransmits),
            counters.Sum(c => c.TokenLosses),
            counters.Sum(c => c.DroppedTotal),
            readCpu ? ThreadCpu.Read() : default,
            GC.CollectionCount(0),
            GC.CollectionCount(2),
            GC.GetTotalAllocatedBytes(precise: true));
    }

    public double SecondsSince(RingSnapshot earlier) => (double)(Timestamp - earlier.Timestamp) / Stopwatch.Frequency;
}
