using System.Diagnostics;
using System.Globalization;
using SpreadNet.Ring;

namespace SpreadNet.Benchmarks;

/// <summary>
/// How fast a ring reforms: one member crashes (stops without a word) or leaves gracefully, and the
/// clock runs until every survivor operates in the new regular configuration without it.
/// </summary>
internal static class FailoverScenario
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<List<ScenarioResult>> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        RingPreset[] presets = settings.Preset is RingPreset p ? [p] : [RingPreset.Lan, RingPreset.Vital];
        int[] sizes = settings.NodesGiven ? [settings.Nodes] : [3, 5];
        int repeat = settings.Repeat ?? 5;
        foreach (var preset in presets)
        {
            foreach (int nodes in sizes)
            {
                var caseSettings = settings with { Preset = preset, Nodes = nodes };
                var crash = new List<double>();
                var leave = new List<double>();
                for (int i = 0; i < repeat; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    crash.Add(await MeasureAsync(caseSettings, graceful: false));
                    leave.Add(await MeasureAsync(caseSettings, graceful: true));
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"failover {preset.ToString().ToLowerInvariant()} {nodes} nodes #{i + 1}: crash -> view {crash[^1]:F1} ms, leave -> view {leave[^1]:F1} ms"));
                }

                results.Add(new ScenarioResult
                {
                    Scenario = "failover",
                    Preset = preset.ToString().ToLowerInvariant(),
                    Nodes = nodes,
                    CrashToViewMs = Median(crash),
                    CrashToViewMaxMs = crash.Max(),
                    LeaveToViewMs = Median(leave),
                    LeaveToViewMaxMs = leave.Max(),
                    Repetitions = repeat,
                    Seconds = 0,
                    DatagramSize = settings.Datagram ?? new RingOptions().MaxDatagramSize,
                    Keyed = settings.KeyMode is not null,
                    KeyMode = settings.KeyModeName,
                });
            }
        }

        return results;
    }

    /// <summary>Milliseconds from stopping one member until every survivor is in a ring without it.</summary>
    private static async Task<double> MeasureAsync(BenchSettings settings, bool graceful)
    {
        await using var cluster = await RingCluster.StartAsync(settings);

        // Not the representative (lowest id): the common case, and the one whose token loss is not special.
        var victim = cluster.Nodes.MaxBy(n => n.Id)!;
        var survivors = cluster.Nodes.Where(n => n != victim).ToArray();
        var watch = Stopwatch.StartNew();
        var stopping = graceful ? victim.DisposeAsync().AsTask() : victim.CrashAsync().AsTask();
        await cluster.WaitForMembersAsync(survivors, Timeout);
        double elapsed = watch.Elapsed.TotalMilliseconds;
        await stopping;
        return elapsed;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
