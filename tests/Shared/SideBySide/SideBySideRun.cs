using System.Diagnostics;

namespace SpreadNet.Testing.SideBySide;

/// <summary>
/// Runs the side-by-side scenario (<see cref="SideBySideOptions"/>): both rings formed, vital
/// traffic alone, then vital traffic beside the saturated bulk ring; latency is submit at the
/// vital sender to delivery at each other vital node.
/// </summary>
internal static class SideBySideRun
{
    private static readonly TimeSpan FormationTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for the last measured vital messages to arrive; later ones count as missing.</summary>
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(2);

    public static async Task<SideBySideResult> RunAsync(SideBySideOptions options, CancellationToken cancellationToken = default)
    {
        int capacity = (int)(options.VitalRate * options.Phase.TotalSeconds * 1.5) + 100;
        LatencyReceiver[] receivers = [.. Enumerable.Range(0, options.VitalNodes).Select(_ => new LatencyReceiver(capacity))];
        ThroughputCounter[] counters = [.. Enumerable.Range(0, options.BulkNodes).Select(_ => new ThroughputCounter(sampleCapacity: 1 << 16))];
        await using var vital = await LoopbackNodes<LatencyReceiver>.StartAsync("vital", options.VitalPreset, receivers, FormationTimeout);
        await using var bulk = await LoopbackNodes<ThroughputCounter>.StartAsync("bulk", options.BulkPreset, counters, FormationTimeout);

        var sender = new VitalSender(vital.Nodes[0], options.VitalMessageSize, options.VitalRate);
        try
        {
            await using (BulkLoad.Start(bulk.Nodes, options.BulkSubmittersPerNode, options.BulkMessageSize))
            {
                await Task.Delay(options.Warmup, cancellationToken);
            }

            await WaitForIdleAsync(counters, cancellationToken);
            long vitalLosses = vital.TokenLosses;
            await MeasureAsync(sender, VitalPhase.Alone, options.Phase, cancellationToken);

            await using var load = BulkLoad.Start(bulk.Nodes, options.BulkSubmittersPerNode, options.BulkMessageSize);
            await Task.Delay(options.BulkRampUp, cancellationToken);
            long bulkLosses = bulk.TokenLosses;
            var (messagesBefore, bytesBefore) = (counters.Min(c => c.Messages), counters.Min(c => c.Bytes));
            var watch = Stopwatch.StartNew();
            Array.ForEach(counters, c => c.Recording = true);
            await MeasureAsync(sender, VitalPhase.UnderBulk, options.Phase, cancellationToken);
            Array.ForEach(counters, c => c.Recording = false);
            double seconds = watch.Elapsed.TotalSeconds;
            var (messagesAfter, bytesAfter) = (counters.Min(c => c.Messages), counters.Min(c => c.Bytes));
            bulkLosses = bulk.TokenLosses - bulkLosses;
            await load.DisposeAsync();

            sender.Stop();
            var others = receivers.Skip(1).ToArray();
            await SettleAsync(sender, others);
            return new SideBySideResult
            {
                VitalAlone = Summarize(sender, others, VitalPhase.Alone),
                VitalUnderBulk = Summarize(sender, others, VitalPhase.UnderBulk),
                BulkLatency = LatencySummary.Of([.. counters.SelectMany(c => c.Samples.ToArray())], missing: 0),
                BulkMegabytesPerSecond = (bytesAfter - bytesBefore) / seconds / 1e6,
                BulkMessages = messagesAfter - messagesBefore,
                BulkSubmitWaits = load.Waits,
                VitalTokenLosses = vital.TokenLosses - vitalLosses,
                BulkTokenLosses = bulkLosses,
                PhaseSeconds = options.Phase.TotalSeconds,
            };
        }
        finally
        {
            sender.Stop();
        }
    }

    /// <summary>Waits until the bulk ring has delivered what its queues held when the warm-up load stopped.</summary>
    private static async Task WaitForIdleAsync(ThroughputCounter[] counters, CancellationToken cancellationToken)
    {
        long previous = -1;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < SettleTimeout)
        {
            long delivered = counters.Min(c => c.Messages);
            if (delivered == previous && counters.All(c => c.Messages == delivered))
            {
                return;
            }

            previous = delivered;
            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task MeasureAsync(VitalSender sender, VitalPhase phase, TimeSpan length, CancellationToken cancellationToken)
    {
        sender.Phase = phase;
        try
        {
            await Task.Delay(length, cancellationToken);
        }
        finally
        {
            sender.Phase = VitalPhase.Unmeasured;
        }
    }

    /// <summary>Waits until every measured message reached every other node, or the settle timeout.</summary>
    private static async Task SettleAsync(VitalSender sender, LatencyReceiver[] others)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < SettleTimeout && others.Any(r =>
            r.Samples(VitalPhase.Alone).Length < sender.Sent(VitalPhase.Alone) || r.Samples(VitalPhase.UnderBulk).Length < sender.Sent(VitalPhase.UnderBulk)))
        {
            await Task.Delay(10);
        }
    }

    /// <summary>Every other node's samples of <paramref name="phase"/>; a message that never arrived counts as the slowest.</summary>
    private static LatencySummary Summarize(VitalSender sender, LatencyReceiver[] others, VitalPhase phase)
    {
        var ticks = new List<long>();
        int missing = 0;
        foreach (var receiver in others)
        {
            ticks.AddRange(receiver.Samples(phase));
            missing += Math.Max(0, sender.Sent(phase) - receiver.Samples(phase).Length);
        }

        return LatencySummary.Of(ticks, missing);
    }
}
