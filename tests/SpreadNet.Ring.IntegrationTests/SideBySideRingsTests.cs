using SpreadNet.Testing.SideBySide;
using Xunit.Abstractions;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>
/// Rings of one process share nothing but the machine: a saturated "bulk" ring (LAN preset, 3
/// nodes, two submitters per node sending 8 KB messages through SubmitAsync's backpressure) must
/// not slow down a "vital" ring beside it (vital preset, 3 nodes, one node sending 100 B messages
/// at 200/s, latency from submit to delivery at the two other nodes).
/// </summary>
public sealed class SideBySideRingsTests(ITestOutputHelper output)
{
    /// <summary>
    /// Bound on the vital ring's p99 beside the saturated bulk ring (2.5 s phases, about 1,000
    /// deliveries each). Measured on the 2-core machine class while other sessions compiled and
    /// tested (load average about 14): beside the bulk ring p99 0.6 to 14 ms (alone 0.7 to 9 ms);
    /// with two or three CPU-bound processes added, 4 to 9 ms (alone 0.7 to 12 ms, once 99 ms with
    /// a token loss). 25 ms is about twice the worst of these, and a quarter of the vital ring's
    /// token-loss timeout (100 ms, a stall that reforms the ring). What it catches: a process-wide
    /// lock around each node's event-loop work, as a shared thread or lock would be, measured
    /// p99 36, 60, 138, 169 and 412 ms; a bulk message itself waits 30 to 60 ms (p50) in the full
    /// send queues, as a vital message behind a queue or flow control shared with the bulk ring
    /// would; a token loss in the vital ring stalls it at least 100 ms (some 40 late deliveries,
    /// over 1 % of the samples).
    /// </summary>
    private const double VitalP99BoundMs = 25;

    /// <summary>
    /// The machine alone now and then pushes the vital ring past the bound (p99 28 and 32 ms
    /// beside the bulk ring, and 55 to 139 ms with no bulk load, seen with CPU-bound processes
    /// beside the test), so a failing run is repeated; the lock above failed every run.
    /// </summary>
    private const int Attempts = 3;

    /// <summary>
    /// The bulk ring must really have been saturated: its submitters waited for room (backpressure),
    /// and it delivered at least this much at every node, some 5,000 times the vital ring's traffic
    /// (measured: 0.5 to 1.7 GB/s, 260 MB/s with six CPU-bound processes beside it).
    /// </summary>
    private const double MinBulkMegabytesPerSecond = 100;

    [Fact]
    public async Task SaturatedBulkRing_BesideVitalRing_VitalP99StaysLow()
    {
        for (int attempt = 1; ; attempt++)
        {
            var result = await SideBySideRun.RunAsync(new SideBySideOptions { Phase = TimeSpan.FromSeconds(2.5) });
            output.WriteLine($"run {attempt}: {result}");

            Assert.True(result.VitalAlone.Missing == 0 && result.VitalUnderBulk.Missing == 0, $"Vital messages were not delivered: {result}");
            Assert.True(result.BulkSubmitWaits > 0, $"The bulk submitters never waited for room: the bulk ring was not saturated. {result}");
            Assert.True(result.BulkMegabytesPerSecond >= MinBulkMegabytesPerSecond, $"The bulk ring delivered under {MinBulkMegabytesPerSecond} MB/s: {result}");
            if (result.VitalUnderBulk.P99Ms < VitalP99BoundMs)
            {
                return;
            }

            Assert.True(
                attempt < Attempts,
                $"In {Attempts} runs the vital ring's p99 beside the saturated bulk ring was over {VitalP99BoundMs} ms; last run {result.VitalUnderBulk.P99Ms:F1} ms: {result}");
        }
    }
}
