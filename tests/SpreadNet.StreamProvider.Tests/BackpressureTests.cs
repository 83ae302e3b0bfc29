using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Runtime;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>Bounded queue buffers: a subscriber that stops consuming makes producers wait, never fail.</summary>
public sealed class BackpressureTests
{
    private const int Bound = 20;
    private const int Count = 3 * Bound;

    [Fact]
    public async Task OnNextAsync_SubscriberBlockedAndQueueAtItsBound_ProducerWaitsWithoutErrorAndResumesWhenUnblocked()
    {
        await using var cluster = await StreamCluster.StartAsync(
            1,
            configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, o => { o.QueueCount = 1; o.RetentionCount = Bound; }),
            configureClient: client => client.AddSpreadStreams(StreamCluster.Provider, o => o.QueueCount = 1));
        var key = Guid.NewGuid();
        string name = $"blocked-{key}";
        await cluster.Client.GetGrain<IBlockingRecorderGrain>(name).SubscribeAsync(StreamCluster.Provider, key);
        var queues = cluster.Cluster.Silos[0].SiloHost.Services.GetRequiredKeyedService<SpreadStreamQueues>(StreamCluster.Provider);
        var buffer = queues.Buffer(queues.Mapper.GetQueueForStream(StreamId.Create("blocking", key)));

        var produce = cluster.ProduceAsync(0, 0, "blocking", key, 0, Count);
        await StreamCluster.WaitUntilAsync(() => buffer.WaitingProducers == 1, "the producer waiting for room", () => $"the queue holds {buffer.PendingCount} undelivered events");

        Assert.False(produce.IsCompleted, produce.Exception?.ToString() ?? "the producer finished past the bound");
        Assert.Equal(Bound, buffer.PendingCount);
        Assert.Empty(Journal.Get(name));

        BlockingRecorderGrain.Gates[name].SetResult();
        await produce;
        await StreamCluster.WaitForCountAsync(name, Count);
        Assert.Equal(Enumerable.Range(0, Count), Journal.Get(name).Select(r => r.Item.Value));
        await StreamCluster.WaitUntilAsync(() => buffer.PendingCount < Bound, "the queue draining");
    }
}
