using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SpreadNet.Interfaces;
using SpreadNet.RingSilo;

namespace SpreadNet.Benchmarks.Groups;

/// <summary>
/// Group grains on 3 silos in this process: one group, member grains on every silo (and a client's
/// member object with --client), senders on every silo multicasting as members. Per service type:
/// latency at a light fixed load (the stamp before MulticastAsync to each member's
/// OnGroupMessageAsync), then messages/s delivered to the slowest member with senders flat out
/// (each loop awaits its MulticastAsync, and all hold off while more than the in-flight limit is
/// issued and not yet delivered to every member). Then join-to-view: a newcomer joins at each
/// silo in turn; the time from the start of its JoinAsync until every member saw the view with it.
/// </summary>
internal static class GroupsScenario
{
    private const int Silos = 3;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ViewTimeout = TimeSpan.FromSeconds(30);

    public static async Task<List<ScenarioResult>> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        int members = (Silos * settings.GroupMembersPerSilo) + (settings.GroupClient ? 1 : 0);
        var recorder = new GroupsRecorder(members);
        var builder = BenchSilos.Builder(Silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(recorder);
            silo.AddSpreadGroups();
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync(cancellationToken);
        try
        {
            await BenchSilos.WaitForOneRingAsync(cluster, GroupKeys.DefaultRing, cancellationToken);
            string group = "bench-" + Guid.NewGuid().ToString("N")[..8];
            var (grains, client) = await JoinMembersAsync(cluster, settings, group, recorder, cancellationToken);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"groups: {members} members ({settings.GroupMembersPerSilo} grain(s) per silo{(settings.GroupClient ? " and a client's object" : "")}) in group {group}"));

            var results = new List<ScenarioResult>();
            foreach (var service in settings.GroupServices)
            {
                results.Add(await RunServiceAsync(cluster, settings, group, grains, (GroupServiceType)service, recorder, log, cancellationToken));
            }

            results.Add(await RunJoinsAsync(cluster, settings, group, recorder, log, cancellationToken));
            GC.KeepAlive(client);
            return results;
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await cluster.StopAllSilosAsync(CancellationToken.None);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"groups: silos stopped in {stopping.Elapsed.TotalSeconds:F1} s"));
        }
    }

    /// <summary>Joins the member grains, silo by silo (placement hint), then the client's object; waits until every member sees them all.</summary>
    private static async Task<(IBenchMemberGrain[][] Grains, ClientBenchMember? Client)> JoinMembersAsync(InProcessTestCluster cluster, BenchSettings settings, string group, GroupsRecorder recorder, CancellationToken cancellationToken)
    {
        var grains = new IBenchMemberGrain[Silos][];
        int index = 0;
        for (int s = 0; s < Silos; s++)
        {
            grains[s] = new IBenchMemberGrain[settings.GroupMembersPerSilo];
            for (int m = 0; m < settings.GroupMembersPerSilo; m++)
            {
                var grain = cluster.Client.GetGrain<IBenchMemberGrain>($"{group}-member-{s}-{m}");
                int i = index++;
                string where = await BenchSilos.OnSiloAsync(cluster.Silos[s], () => grain.JoinAsync(group, i));
                if (where != cluster.Silos[s].Name)
                {
                    throw new InvalidOperationException($"Member {s}/{m} was activated on {where}, not on {cluster.Silos[s].Name}: the placement hint was not honoured.");
                }

                grains[s][m] = grain;
            }
        }

        ClientBenchMember? client = null;
        if (settings.GroupClient)
        {
            client = new ClientBenchMember(recorder, index);
            recorder.JoinedOn[index] = "client";
            await cluster.Client.GetGroup(group).JoinAsync(cluster.Client.CreateObjectReference<IGroupMember>(client));
        }

        await WaitUntilAsync(() => recorder.AllSeeViewOf(recorder.Members), "every member seeing all of them", ViewTimeout, cancellationToken);
        return (grains, client);
    }

    private static async Task<ScenarioResult> RunServiceAsync(InProcessTestCluster cluster, BenchSettings settings, string group, IBenchMemberGrain[][] grains, GroupServiceType service, GroupsRecorder recorder, TextWriter log, CancellationToken cancellationToken)
    {
        string label = "groups-" + service.ToString().ToLowerInvariant();

        // Latency: one sender per silo (its first member), the rate shared between them.
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: latency at {settings.StreamRate} msg/s for {settings.Warmup:0.#} + {settings.Seconds:0.#} s"));
        var latencyCpu = ThreadCpu.Read();
        await SendAsync(cluster, grains, s => [(grains[s][0], 1)], new SendPlan(group, service, 1, (double)settings.StreamRate / Silos, 0, GroupsPhase.Latency, 0, 0), settings, during: null, cancellationToken);
        var latencyUsage = ThreadCpu.Read().PercentSince(latencyCpu, settings.Warmup + settings.Seconds);
        bool latencyDrained = await DrainAsync(recorder, cancellationToken);
        var latency = recorder.TakeLatency(GroupsPhase.Latency);

        // Throughput: --senders loops per silo, spread over the silo's members, flat out.
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: throughput, {settings.GroupSenders} senders per silo, in flight at most {settings.GroupInFlight}, {settings.Warmup:0.#} + {settings.Seconds:0.#} s"));
        long[] windowStart = new long[recorder.Members];
        long[] windowEnd = new long[recorder.Members];
        double windowSeconds = 0;
        ThreadCpu.Usage usage = default;
        long allocated = 0;
        using var tracer = settings.TraceAllocations ? new AllocationTracer() : null;
        long[] Counts() => [.. Enumerable.Range(0, recorder.Members).Select(recorder.Count)];
        await SendAsync(cluster, grains, s => SpreadLoops(grains[s], settings.GroupSenders), new SendPlan(group, service, 0, 0, settings.GroupInFlight, GroupsPhase.Throughput, 0, 0), settings, async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.Warmup), cancellationToken);
            var cpu = ThreadCpu.Read();
            long t0 = Stopwatch.GetTimestamp();
            windowStart = Counts();
            long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            tracer?.Start();
            await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
            tracer?.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            windowEnd = Counts();
            windowSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
            usage = ThreadCpu.Read().PercentSince(cpu, windowSeconds);
        }, cancellationToken);
        bool drained = await DrainAsync(recorder, cancellationToken);
        var saturated = recorder.TakeLatency(GroupsPhase.Throughput);
        double[] perMember = [.. Enumerable.Range(0, recorder.Members).Select(i => (windowEnd[i] - windowStart[i]) / windowSeconds)];
        long delivered = Enumerable.Range(0, recorder.Members).Sum(i => windowEnd[i] - windowStart[i]);
        tracer?.Print(log, label);

        var result = new ScenarioResult
        {
            Scenario = label,
            Service = service.ToString().ToLowerInvariant(),
            Nodes = Silos,
            Seconds = settings.Seconds,
            GroupMembers = recorder.Members,
            ClientMember = settings.GroupClient,
            EventsPerSec = perMember.Min(),
            PerSubscriberEventsPerSec = perMember,
            ProducersPerSilo = settings.GroupSenders,
            InFlightLimit = settings.GroupInFlight,
            P50Us = latency.PercentileMicros(50),
            P99Us = latency.PercentileMicros(99),
            P999Us = latency.PercentileMicros(99.9),
            MaxUs = latency.MaxMicros,
            LatencySamples = latency.Count,
            LatencyRate = settings.StreamRate,
            LatencyCpuPercent = latencyUsage.Process,
            SaturatedP50Us = saturated.PercentileMicros(50),
            SaturatedP99Us = saturated.PercentileMicros(99),
            AllocBytesPerMsg = delivered > 0 ? (double)allocated / delivered : null,
            CpuPercent = usage.Process,
            MachineCpuPercent = usage.Machine,
            Drained = latencyDrained && drained,
        };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.EventsPerSec:N0} msg/s to the slowest member (of {string.Join(", ", perMember.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}), latency p50 {result.P50Us:N0} us p99 {result.P99Us:N0} us ({latency.Count} samples), saturated p50 {result.SaturatedP50Us:N0} us, {result.AllocBytesPerMsg:N0} B allocated per delivery, cpu {usage.Process:F0}% (machine {usage.Machine:F0}%), drained {result.Drained}"));
        if (usage.DisturbanceWarning is { } warning)
        {
            log.WriteLine(warning);
        }

        return result;
    }

    /// <summary>Newcomers join at each silo in turn (and leave again, so the group keeps its size): JoinAsync start to the view with them at every member.</summary>
    private static async Task<ScenarioResult> RunJoinsAsync(InProcessTestCluster cluster, BenchSettings settings, string group, GroupsRecorder recorder, TextWriter log, CancellationToken cancellationToken)
    {
        int joins = settings.Repeat ?? 20;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"groups-join: {joins} newcomers, each joining then leaving"));
        var toView = new LatencyHistogram();
        var call = new LatencyHistogram();
        for (int j = 0; j < joins; j++)
        {
            var silo = cluster.Silos[j % Silos];
            var joiner = cluster.Client.GetGrain<IBenchMemberGrain>($"{group}-joiner-{j}");
            // Activated before the timed join: the activation is not part of it.
            string where = await BenchSilos.OnSiloAsync(silo, joiner.WhereAsync);
            if (where != silo.Name)
            {
                throw new InvalidOperationException($"Newcomer {j} was activated on {where}, not on {silo.Name}: the placement hint was not honoured.");
            }

            recorder.ExpectJoin(joiner.GetGrainId());
            var stamp = await joiner.JoinTimedAsync(group);

            long? seen = null;
            await WaitUntilAsync(() => (seen = recorder.AllSawJoinAt()) is not null, $"every member seeing newcomer {j}", ViewTimeout, cancellationToken);
            toView.RecordNanos(Nanos(seen!.Value - stamp.StartedAt));
            call.RecordNanos(Nanos(stamp.CompletedAt - stamp.StartedAt));
            await joiner.LeaveAsync(group);
            await WaitUntilAsync(() => recorder.AllSeeViewOf(recorder.Members), $"every member seeing newcomer {j} leave", ViewTimeout, cancellationToken);
        }

        var result = new ScenarioResult
        {
            Scenario = "groups-join",
            Nodes = Silos,
            Seconds = 0,
            GroupMembers = recorder.Members,
            ClientMember = settings.GroupClient,
            Repetitions = joins,
            P50Us = toView.PercentileMicros(50),
            P99Us = toView.PercentileMicros(99),
            MaxUs = toView.MaxMicros,
            JoinCallP50Us = call.PercentileMicros(50),
            JoinCallP99Us = call.PercentileMicros(99),
        };
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"groups-join: join to view at every member p50 {result.P50Us:N0} us p99 {result.P99Us:N0} us max {result.MaxUs:N0} us; JoinAsync itself p50 {result.JoinCallP50Us:N0} us p99 {result.JoinCallP99Us:N0} us"));
        return result;
    }

    /// <summary><paramref name="loops"/> send loops spread over one silo's members, round robin.</summary>
    private static (IBenchMemberGrain Grain, int Loops)[] SpreadLoops(IBenchMemberGrain[] members, int loops) =>
        [.. members.Select((g, i) => (g, (loops / members.Length) + (i < loops % members.Length ? 1 : 0))).Where(x => x.Item2 > 0)];

    /// <summary>Runs the senders for warm-up plus measured seconds (or while <paramref name="during"/> runs), then stops them.</summary>
    private static async Task SendAsync(InProcessTestCluster cluster, IBenchMemberGrain[][] grains, Func<int, (IBenchMemberGrain Grain, int Loops)[]> senders, SendPlan plan, BenchSettings settings, Func<Task>? during, CancellationToken cancellationToken)
    {
        long timedFrom = Stopwatch.GetTimestamp() + (long)(settings.Warmup * Stopwatch.Frequency);
        plan = plan with { TimedFrom = timedFrom, TimedUntil = timedFrom + (long)(settings.Seconds * Stopwatch.Frequency) };
        var started = new List<IBenchMemberGrain>();
        for (int s = 0; s < grains.Length; s++)
        {
            foreach (var (grain, loops) in senders(s))
            {
                string where = await grain.StartSendingAsync(plan with { Loops = loops });
                if (where != cluster.Silos[s].Name)
                {
                    throw new InvalidOperationException($"A sender of silo {s} runs on {where}, not on {cluster.Silos[s].Name}.");
                }

                started.Add(grain);
            }
        }

        if (during is null)
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.Warmup + settings.Seconds), cancellationToken);
        }
        else
        {
            await during();
        }

        await Task.WhenAll(started.Select(g => g.StopSendingAsync()));
    }

    /// <summary>Waits until every member has every message issued; false on timeout.</summary>
    private static async Task<bool> DrainAsync(GroupsRecorder recorder, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (recorder.MinCount() < recorder.Issued)
        {
            if (clock.Elapsed > DrainTimeout)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0} s waiting for {what}.");
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    private static long Nanos(long ticks) => (long)(ticks * (1e9 / Stopwatch.Frequency));
}
