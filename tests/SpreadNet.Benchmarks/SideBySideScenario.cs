using System.Globalization;
using SpreadNet.Testing.SideBySide;

namespace SpreadNet.Benchmarks;

/// <summary>Whether a saturated ring slows down another ring of the same process: <see cref="SideBySideRun"/>, repeated.</summary>
internal static class SideBySideScenario
{
    public static async Task<List<ScenarioResult>> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var options = new SideBySideOptions
        {
            BulkNodes = settings.Nodes,
            VitalNodes = settings.Nodes,
            BulkMessageSize = settings.BulkSize,
            BulkSubmittersPerNode = settings.Submitters,
            VitalRate = settings.VitalRate,
            VitalMessageSize = settings.VitalSize,
            Warmup = TimeSpan.FromSeconds(settings.Warmup),
            Phase = TimeSpan.FromSeconds(settings.Seconds),
        };
        var results = new List<ScenarioResult>();
        int repeat = settings.Repeat ?? 1;
        for (int i = 0; i < repeat; i++)
        {
            var run = await SideBySideRun.RunAsync(options, cancellationToken);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sidebyside #{i + 1}: {run}"));
            results.Add(new ScenarioResult
            {
                Scenario = "sidebyside",
                Nodes = settings.Nodes,
                Size = options.BulkMessageSize,
                MsgsPerSec = run.BulkMegabytesPerSecond * 1e6 / options.BulkMessageSize,
                MbPerSec = run.BulkMegabytesPerSecond,
                TokenLosses = run.BulkTokenLosses,
                BulkSubmitWaits = run.BulkSubmitWaits,
                BulkP50Ms = run.BulkLatency.P50Ms,
                BulkP99Ms = run.BulkLatency.P99Ms,
                VitalRate = options.VitalRate,
                VitalAloneP50Ms = run.VitalAlone.P50Ms,
                VitalAloneP99Ms = run.VitalAlone.P99Ms,
                VitalAloneMaxMs = run.VitalAlone.MaxMs,
                VitalBulkP50Ms = run.VitalUnderBulk.P50Ms,
                VitalBulkP99Ms = run.VitalUnderBulk.P99Ms,
                VitalBulkMaxMs = run.VitalUnderBulk.MaxMs,
                VitalSamples = run.VitalUnderBulk.Samples,
                VitalMissing = run.VitalAlone.Missing + run.VitalUnderBulk.Missing,
                VitalTokenLosses = run.VitalTokenLosses,
                Seconds = run.PhaseSeconds,
                DatagramSize = new Ring.RingOptions().MaxDatagramSize,
            });
        }

        return results;
    }
}
