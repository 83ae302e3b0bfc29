using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using SpreadNet.StreamProvider.Providers;
using Xunit.Abstractions;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>Queues moving between silos mid-stream: subscribers lose nothing and keep the order.</summary>
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int Count = 400;

    [Fact]
    public Task StopSiloAsync_MidStream_ImplicitSubscriberLosesNothingInOrder() =>
        RemoveQueueOwnerMidStreamAsync((cluster, silo) => cluster.StopSiloAsync(silo));

    [Fact]
    public Task KillSiloAsync_MidStream_ImplicitSubscriberLosesNothingInOrder() =>
        RemoveQueueOwnerMidStreamAsync((cluster, silo) => cluster.KillSiloAsync(silo));

    /// <summary>
    /// Merged deliveries with a producer flat out (so that the subscriber gets up to 64 events per
    /// call): the watermark the new owner resumes from must still count only what was delivered.
    /// </summary>
    [Fact]
    public Task KillSiloAsync_MergedDeliveriesMidStream_ImplicitSubscriberLosesNothingInOrder() =>
        RemoveQueueOwnerMidStreamAsync(
            (cluster, silo) => cluster.KillSiloAsync(silo),
            count: 6000,
            delayMs: 0,
            configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, o => o.DeliveryBatchSize = 64));

    [Fact]
    public async Task StartAdditionalSiloAsync_MidStream_NewSiloTakesQueuesAndNothingIsLost()
    {
        await using var cluster = await StreamCluster.StartAsync(2);
        var key = Guid.NewGuid();
        string name = $"implicit/{key}";

        var produce = cluster.ProduceAsync(0, 0, "implicit", key, 0, Count, delayMs: 10);
        await StreamCluster.WaitForCountAsync(name, Count / 4);
        int atStart = Journal.Get(name).Count;
        var added = await cluster.Cluster.StartAdditionalSiloAsync();
        int afterStart = Journal.Get(name).Count;
        await produce;
        output.WriteLine($"received {atStart} when the new silo started, {afterStart} when it was up");

        var queues = added.SiloHost.Services.GetRequiredKeyedService<SpreadStreamQueues>(StreamCluster.Provider);
        await StreamCluster.WaitUntilAsync(() => queues.OwnedQueues.Count > 0, "the new silo owning queues");
        await StreamCluster.WaitUntilAsync(() => Journal.Get(name).Select(r => r.Item.Value).Distinct().Count() == Count, $"{name} receiving all {Count} distinct events", () => $"it has {Journal.Get(name).Select(r => r.Item.Value).Distinct().Count()}");
        AssertNothingLostInOrder(Journal.Get(name), Count);
    }

    /// <summary>Removes (with <paramref name="remove"/>) a silo that reads a stream's queue while events flow.</summary>
    private async Task RemoveQueueOwnerMidStreamAsync(Func<Orleans.TestingHost.InProcessTestCluster, Orleans.TestingHost.InProcessSiloHandle, Task> remove, int count = Count, int delayMs = 10, Action<Orleans.Hosting.ISiloBuilder>? configureSilo = null)
    {
        await using var cluster = await StreamCluster.StartAsync(configureSilo: configureSilo);
        // A silo other than the primary that reads queues (the balancer may give one silo none).
        SpreadStreamQueues Queues(int silo) => cluster.Cluster.Silos[silo].SiloHost.Services.GetRequiredKeyedService<SpreadStreamQueues>(StreamCluster.Provider);
        await StreamCluster.WaitUntilAsync(() => Queues(1).OwnedQueues.Count + Queues(2).OwnedQueues.Count > 0, "silo 1 or 2 owning queues");
        int victim = Queues(2).OwnedQueues.Count > 0 ? 2 : 1;
        var stopped = cluster.Cluster.Silos[victim];
        var queues = Queues(victim);

        // A stream whose queue the stopped silo reads.
        var key = Guid.NewGuid();
        while (!queues.OwnedQueues.Contains(queues.Mapper.GetQueueForStream(StreamId.Create("implicit", key)).GetNumericId()))
        {
            key = Guid.NewGuid();
        }

        string name = $"implicit/{key}";

        var produce = cluster.ProduceAsync(0, 0, "implicit", key, 0, count, delayMs: delayMs);
        await StreamCluster.WaitForCountAsync(name, count / 4);
        int atStop = Journal.Get(name).Count;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await remove(cluster.Cluster, stopped);
        int afterStop = Journal.Get(name).Count;
        output.WriteLine($"received {atStop} when the stop began, {afterStop} when it ended {clock.Elapsed.TotalSeconds:F1} s later");
        await produce;
        output.WriteLine($"produced all {count} {clock.Elapsed.TotalSeconds:F1} s after the stop began");

        await StreamCluster.WaitUntilAsync(() => Journal.Get(name).Select(r => r.Item.Value).Distinct().Count() == count, $"{name} receiving all {count} distinct events", () => $"it has {Journal.Get(name).Select(r => r.Item.Value).Distinct().Count()}");
        output.WriteLine($"received all {count} {clock.Elapsed.TotalSeconds:F1} s after the stop began");
        AssertNothingLostInOrder(Journal.Get(name), count);
    }

    /// <summary>Every value once at least; with repeats (after a failover) removed, in order, each with the token it first had.</summary>
    private void AssertNothingLostInOrder(List<Received> received, int count)
    {
        var firsts = new Dictionary<int, Received>();
        var order = new List<int>();
        foreach (var r in received)
        {
            if (firsts.TryGetValue(r.Item.Value, out var first))
            {
                Assert.Equal(first.Token, r.Token);
            }
            else
            {
                firsts[r.Item.Value] = r;
                order.Add(r.Item.Value);
            }
        }

        Assert.Equal(Enumerable.Range(0, count), order);
        output.WriteLine($"{received.Count - count} repeats");
    }
}
