using System.Collections.Concurrent;
using System.Diagnostics;

namespace SpreadNet.Simulation;

/// <summary>Runs many seeds in parallel (each run is single-threaded and deterministic) and collects the failures.</summary>
public static class SeedSweep
{
    /// <summary>
    /// Runs seeds <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1.
    /// <paramref name="onFailure"/> sees each failing run as it ends; <paramref name="onProgress"/>
    /// is called with (seeds done, failing seeds) about every tenth of the way. Both may be called
    /// from several threads at once.
    /// </summary>
    public static SweepResult Run(
        int start,
        int count,
        FaultMode faults,
        Action<SimulationResult>? onFailure = null,
        Action<int, int>? onProgress = null,
        int maxParallelism = -1,
        bool groups = true) =>
        Run(start, count, seed => Scenario.FromSeed(seed, faults, groups), onFailure, onProgress, maxParallelism);

    /// <summary>Runs the scenarios <paramref name="scenarioOf"/> makes of seeds <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> - 1.</summary>
    public static SweepResult Run(
        int start,
        int count,
        Func<int, Scenario> scenarioOf,
        Action<SimulationResult>? onFailure = null,
        Action<int, int>? onProgress = null,
        int maxParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(scenarioOf);
        var failures = new ConcurrentBag<SimulationResult>();
        var slowest = new SlowestConvergence();
        var groups = new Groups.GroupStats();
        var gate = new Lock();
        int done = 0;
        int step = Math.Max(1, count / 10);
        var clock = Stopwatch.StartNew();
        var options = new ParallelOptions { MaxDegreeOfParallelism = maxParallelism > 0 ? maxParallelism : Environment.ProcessorCount };
        Parallel.For(0, count, options, i =>
        {
            var result = new SimulationRun(scenarioOf(start + i)).Execute();
            slowest.Offer(result);
            if (result.Groups is { } tally)
            {
                lock (gate)
                {
                    groups = groups.Add(tally);
                }
            }

            if (!result.Passed)
            {
                failures.Add(result);
                onFailure?.Invoke(result);
            }

            int finished = Interlocked.Increment(ref done);
            if (finished % step == 0 && finished != count)
            {
                onProgress?.Invoke(finished, failures.Count);
            }
        });

        return new SweepResult(count, failures.OrderBy(f => f.Scenario.Seed).ToArray(), clock.Elapsed)
        {
            Slowest = slowest.Result,
            MostReformations = slowest.MostReformations,
            Groups = groups.Sessions > 0 ? groups : null,
        };
    }

    /// <summary>The command that replays one seed.</summary>
    public static string ReplayCommand(int seed, FaultMode faults, bool groups = true) =>
        $"dotnet run -c Release --project tests/SpreadNet.Simulation -- --seed {seed}{(faults == FaultMode.All ? "" : $" --faults {faults.ToString().ToLowerInvariant()}")}{(groups ? "" : " --groups off")}";
}

/// <summary>The outcome of a sweep over seeds.</summary>
public sealed record SweepResult(int Seeds, IReadOnlyList<SimulationResult> Failures, TimeSpan Elapsed)
{
    /// <summary>The passing run with membership faults that took longest to meet its liveness goal after the last fault, if any.</summary>
    public SimulationResult? Slowest { get; init; }

    /// <summary>The passing run with membership faults whose busiest node installed the most rings after the last fault, if any.</summary>
    public SimulationResult? MostReformations { get; init; }

    /// <summary>What the group workloads of all runs did, summed; null without them.</summary>
    public Groups.GroupStats? Groups { get; init; }

    /// <summary>A line on <see cref="Slowest"/>: how long after the last fault, against the bound.</summary>
    public string? SlowestLine => Slowest is { } s
        ? $"slowest convergence: seed {s.Scenario.Seed}, one ring {(s.RingFormedMicros - s.Scenario.Plan.HealMicros) / 1000}ms and probes delivered {(s.ConvergedMicros - s.Scenario.Plan.HealMicros) / 1000}ms after the last fault (bound {s.Scenario.LivenessBoundMicros / 1000}ms){(MostReformations is { } m ? $"; most rings installed by one node after it: {m.ReformationsAfterHeal} (seed {m.Scenario.Seed})" : "")}"
        : null;

    /// <summary>The summary line: <c>N seeds, M violations</c> (M counts failing seeds).</summary>
    public string Summary => $"{Seeds} seeds, {Failures.Count} violations";
}
