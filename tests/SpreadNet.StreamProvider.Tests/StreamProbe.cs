using System.Collections.Concurrent;
using System.Diagnostics;
using Orleans;
using Orleans.Hosting;
using Orleans.Streams;
using Xunit.Abstractions;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>An event stamped with the sender's <see cref="Stopwatch"/> time (silos share the test process).</summary>
[GenerateSerializer, Immutable]
public sealed record TimedItem([property: Id(0)] long SentAt);

public interface IProbeSubscriberGrain : IGrainWithStringKey
{
    Task SubscribeAsync(Guid key);
}

public sealed class ProbeSubscriberGrain : Grain, IProbeSubscriberGrain
{
    public static readonly ConcurrentDictionary<string, ConcurrentQueue<long>> Latencies = new();

    public async Task SubscribeAsync(Guid key)
    {
        var list = Latencies.GetOrAdd(this.GetPrimaryKeyString(), _ => new());
        await this.GetStreamProvider(StreamCluster.Provider).GetStream<TimedItem>("probe", key).SubscribeAsync((item, _) =>
        {
            list.Enqueue(Stopwatch.GetTimestamp() - item.SentAt);
            return Task.CompletedTask;
        });
    }
}

public interface IProbeProducerGrain : IGrainWithStringKey
{
    Task ProduceAsync(Guid key, int count, int perSecond);
}

public sealed class ProbeProducerGrain : Grain, IProbeProducerGrain
{
    public async Task ProduceAsync(Guid key, int count, int perSecond)
    {
        var stream = this.GetStreamProvider(StreamCluster.Provider).GetStream<TimedItem>("probe", key);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
        {
            if (perSecond > 0)
            {
                var due = TimeSpan.FromSeconds((double)i / perSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }

            await stream.OnNextAsync(new TimedItem(Stopwatch.GetTimestamp()));
        }
    }
}

/// <summary>
/// Rough figures for the README, not a test: runs only with SPREADNET_STREAM_PROBE=1. 3 silos, one
/// stream, one subscriber grain per silo; latency at 200 events/s from one producer, then
/// throughput with 4 producers per silo sending as fast as OnNextAsync completes.
/// </summary>
public sealed class StreamProbe(ITestOutputHelper output)
{
    [Fact]
    public async Task Probe_RingOnly_PrintsIdleCpu()
    {
        if (Environment.GetEnvironmentVariable("SPREADNET_STREAM_PROBE") != "1")
        {
            return;
        }

        await using var cluster = await StreamCluster.StartAsync(configureSilo: silo => silo.AddSpreadRing(SpreadStreamOptions.DefaultRingName));
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"idle, rings only: {idle.TotalMilliseconds / 5000 * 100:F1}% of one core for the 3-silo process");
    }

    [Fact]
    public async Task Probe_ThreeSilos_PrintsLatencyAndThroughput()
    {
        if (Environment.GetEnvironmentVariable("SPREADNET_STREAM_PROBE") != "1")
        {
            return;
        }

        var poll = TimeSpan.FromMilliseconds(double.Parse(Environment.GetEnvironmentVariable("SPREADNET_STREAM_POLL_MS") ?? "5", System.Globalization.CultureInfo.InvariantCulture));
        await using var cluster = await StreamCluster.StartAsync(configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, (SiloSpreadStreamConfigurator c) =>
            c.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = poll))));
        output.WriteLine($"poll period {poll.TotalMilliseconds} ms");
        var key = Guid.NewGuid();
        string[] subscribers = [.. Enumerable.Range(0, 3).Select(i => $"probe-{key}-{i}")];
        for (int i = 0; i < 3; i++)
        {
            var grain = cluster.Client.GetGrain<IProbeSubscriberGrain>(subscribers[i]);
            await StreamCluster.OnSiloAsync(cluster.Cluster.Silos[i], async () => { await grain.SubscribeAsync(key); return 0; });
        }

        // Idle CPU of the whole process (3 silos, 8 queues each polled every period, the rings).
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await Task.Delay(TimeSpan.FromSeconds(5));
        var idle = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"idle: {idle.TotalMilliseconds / 5000 * 100:F1}% of one core for the 3-silo process");

        // Latency at 200 events/s.
        int latencyCount = 1000;
        await StreamCluster.OnSiloAsync(cluster.Cluster.Silos[0], async () => { await cluster.Client.GetGrain<IProbeProducerGrain>("latency").ProduceAsync(key, latencyCount, 200); return 0; });
        await StreamCluster.WaitUntilAsync(() => subscribers.All(s => ProbeSubscriberGrain.Latencies[s].Count >= latencyCount), "latency events");
        var all = subscribers.SelectMany(s => ProbeSubscriberGrain.Latencies[s].Skip(100)).Select(t => t * 1e6 / Stopwatch.Frequency).Order().ToArray();
        output.WriteLine($"latency at 200/s: p50 {all[all.Length / 2]:F0} us, p99 {all[(int)(all.Length * 0.99)]:F0} us ({all.Length} samples)");

        // Throughput: 4 producers per silo.
        int perProducer = 2000;
        foreach (var s in subscribers)
        {
            ProbeSubscriberGrain.Latencies[s].Clear();
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(p => StreamCluster.OnSiloAsync(cluster.Cluster.Silos[p % 3], async () =>
        {
            await cluster.Client.GetGrain<IProbeProducerGrain>($"bulk-{p}").ProduceAsync(key, perProducer, 0);
            return 0;
        })));
        await StreamCluster.WaitUntilAsync(() => subscribers.All(s => ProbeSubscriberGrain.Latencies[s].Count >= 12 * perProducer), "throughput events");
        output.WriteLine($"throughput: {12 * perProducer / clock.Elapsed.TotalSeconds:F0} events/s delivered to each of 3 subscribers");
    }
}
