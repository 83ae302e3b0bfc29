using System.Globalization;

namespace SpreadNet.Testing.SideBySide;

/// <summary>Latency percentiles of one phase, in milliseconds.</summary>
/// <param name="Samples">Deliveries measured (sent messages times receiving nodes), the missing included.</param>
/// <param name="Missing">Deliveries that had not happened when the run ended; counted as the slowest.</param>
internal readonly record struct LatencySummary(int Samples, int Missing, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>Exact percentiles (nearest rank) of <paramref name="ticks"/> (Stopwatch ticks) and <paramref name="missing"/> slower ones.</summary>
    public static LatencySummary Of(List<long> ticks, int missing)
    {
        ticks.AddRange(Enumerable.Repeat(long.MaxValue, missing));
        if (ticks.Count == 0)
        {
            return new(0, 0, double.NaN, double.NaN, double.NaN);
        }

        ticks.Sort();
        double Rank(double percentile) => Ms(ticks[Math.Max(0, (int)Math.Ceiling(percentile / 100 * ticks.Count) - 1)]);
        return new(ticks.Count, missing, Rank(50), Rank(99), Ms(ticks[^1]));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"p50 {P50Ms:F3} ms, p99 {P99Ms:F3} ms, max {MaxMs:F3} ms ({Samples} samples, {Missing} missing)");

    private static double Ms(long ticks) => ticks == long.MaxValue ? double.PositiveInfinity : ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}

/// <summary>What a side-by-side run measured.</summary>
internal sealed record SideBySideResult
{
    /// <summary>Submit to delivery at the vital ring's other nodes, with the bulk ring idle.</summary>
    public required LatencySummary VitalAlone { get; init; }

    /// <summary>The same while the bulk ring is saturated.</summary>
    public required LatencySummary VitalUnderBulk { get; init; }

    /// <summary>Payload MB (10^6 bytes) per second delivered at every bulk node during the loaded phase (the slowest node).</summary>
    public required double BulkMegabytesPerSecond { get; init; }

    /// <summary>
    /// Bulk messages from first offered to their node until delivered, sampled during the loaded
    /// phase: mostly waiting in full send queues, what a vital message sharing a queue, a thread
    /// or the flow control of the bulk ring would wait too.
    /// </summary>
    public required LatencySummary BulkLatency { get; init; }

    /// <summary>Messages delivered at every bulk node during the loaded phase.</summary>
    public required long BulkMessages { get; init; }

    /// <summary>Bulk submissions that had to wait for room in the send queue: proof the submitters outran the ring.</summary>
    public required long BulkSubmitWaits { get; init; }

    /// <summary>Token losses in the vital ring during both measured phases (each one means a stall of at least its token-loss timeout).</summary>
    public required long VitalTokenLosses { get; init; }

    public required long BulkTokenLosses { get; init; }

    public required double PhaseSeconds { get; init; }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"vital alone: {VitalAlone}; vital under bulk: {VitalUnderBulk}; bulk {BulkMegabytesPerSecond:F1} MB/s, latency {BulkLatency} ({BulkMessages} messages, {BulkSubmitWaits} submit waits); token losses vital {VitalTokenLosses}, bulk {BulkTokenLosses}");
}
