using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using Orleans.Streams.PubSub;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>
/// One 3-silo cluster with the Spread provider ("spread"), the Spread provider merging deliveries
/// ("merged", <see cref="SpreadStreamOptions.DeliveryBatchSize"/> 64) and Orleans' MemoryStreams
/// ("memory"), all with a pulling-agent MaxEventDeliveryTime of <see cref="MaxEventDeliveryTime"/>,
/// shared by the tests of <see cref="ParityTests"/>.
/// </summary>
public sealed class ParityCluster : IAsyncLifetime
{
    public const string Memory = "memory";
    public const string Merged = "merged";
    public static readonly TimeSpan MaxEventDeliveryTime = TimeSpan.FromSeconds(2);

    private StreamCluster? _cluster;

    internal StreamCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync() => _cluster = await StreamCluster.StartAsync(
        configureSilo: silo => silo
            .AddSpreadStreams(StreamCluster.Provider, (SiloSpreadStreamConfigurator c) => c.ConfigurePullingAgent(ob => ob.Configure(o => o.MaxEventDeliveryTime = MaxEventDeliveryTime)))
            .AddSpreadStreams(Merged, (SiloSpreadStreamConfigurator c) =>
            {
                c.ConfigureSpread(o => o.DeliveryBatchSize = 64);
                c.ConfigurePullingAgent(ob => ob.Configure(o => o.MaxEventDeliveryTime = MaxEventDeliveryTime));
            })
            .AddMemoryStreams(Memory, c => c.ConfigurePullingAgent(ob => ob.Configure(o => o.MaxEventDeliveryTime = MaxEventDeliveryTime))),
        configureClient: client => client.AddSpreadStreams(StreamCluster.Provider).AddSpreadStreams(Merged).AddMemoryStreams(Memory));

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}

/// <summary>
/// Orleans stream features an application uses, each run against the Spread provider and against
/// MemoryStreams in the same cluster: the Spread provider must behave as Orleans' own does, with
/// merged deliveries too (except for a throwing subscriber: see <see cref="SpreadStreamOptions.DeliveryBatchSize"/>).
/// </summary>
public sealed class ParityTests(ParityCluster fixture) : IClassFixture<ParityCluster>
{
    private StreamCluster Cluster => fixture.Cluster;

    private IClusterClient Client => Cluster.Client;

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    [InlineData(ParityCluster.Merged)]
    public async Task GetAllSubscriptionHandles_GrainReactivated_ResumedHandlesGetEveryLaterEventOnce(string provider)
    {
        var key = Guid.NewGuid();
        var grain = Client.GetGrain<IHandleGrain>(key, provider);
        var handles = await StreamCluster.OnSiloAsync(Cluster.Cluster.Silos[1], () => grain.SubscribeAsync(2));
        Assert.Equal(handles.Order(), (await grain.HandlesAsync()).Order());

        await Cluster.ProduceAsync(0, 0, "handles", key, 0, 5, provider);
        await WaitForAllAsync(handles, 5);
        await grain.DeactivateAsync();
        await Cluster.Cluster.WaitForDeactivationAsync(grain);

        // Delivery reactivates the grain, which resumes both handles in OnActivateAsync.
        await Cluster.ProduceAsync(2, 0, "handles", key, 5, 5, provider);
        await WaitForAllAsync(handles, 10);
        foreach (var handle in handles)
        {
            Assert.Equal(Enumerable.Range(0, 10), Journal.Get($"handle/{handle}").Select(r => r.Item.Value));
        }
    }

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    [InlineData(ParityCluster.Merged)]
    public async Task SubscribeAsync_ThreeTimesFromOneGrain_EachHandleGetsEveryEventOnceUntilUnsubscribed(string provider)
    {
        var key = Guid.NewGuid();
        var grain = Client.GetGrain<IHandleGrain>(key, provider);
        var handles = await grain.SubscribeAsync(3);
        Assert.Equal(3, handles.Distinct().Count());

        await Cluster.ProduceAsync(1, 0, "handles", key, 0, 5, provider);
        await WaitForAllAsync(handles, 5);
        await grain.UnsubscribeAsync(handles[1]);
        Assert.Equal(new[] { handles[0], handles[2] }.Order(), (await grain.HandlesAsync()).Order());

        await Cluster.ProduceAsync(1, 0, "handles", key, 5, 5, provider);
        await WaitForAllAsync([handles[0], handles[2]], 10);
        Assert.Equal(Enumerable.Range(0, 10), Journal.Get($"handle/{handles[0]}").Select(r => r.Item.Value));
        Assert.Equal(Enumerable.Range(0, 10), Journal.Get($"handle/{handles[2]}").Select(r => r.Item.Value));
        Assert.Equal(Enumerable.Range(0, 5), Journal.Get($"handle/{handles[1]}").Select(r => r.Item.Value));
    }

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    [InlineData(ParityCluster.Merged)]
    public async Task ResumeAsync_ClientHandleWithNewObserver_OnlyTheNewObserverGetsLaterEvents(string provider)
    {
        var key = Guid.NewGuid();
        string before = $"client-before/{key}", after = $"client-after/{key}";
        var stream = Client.GetStreamProvider(provider).GetStream<Item>("clientresume", key);
        var handle = await stream.SubscribeAsync((item, token) => Record(before, item, token));
        await Cluster.ProduceAsync(1, 0, "clientresume", key, 0, 5, provider);
        await StreamCluster.WaitForCountAsync(before, 5);

        var found = Assert.Single(await stream.GetAllSubscriptionHandles());
        Assert.Equal(handle.HandleId, found.HandleId);
        var resumed = await found.ResumeAsync((item, token) => Record(after, item, token));
        await Cluster.ProduceAsync(2, 0, "clientresume", key, 5, 5, provider);
        await StreamCluster.WaitForCountAsync(after, 5);

        Assert.Equal(Enumerable.Range(0, 5), Journal.Get(before).Select(r => r.Item.Value));
        Assert.Equal(Enumerable.Range(5, 5), Journal.Get(after).Select(r => r.Item.Value));
        await resumed.UnsubscribeAsync();
        Assert.Empty(await stream.GetAllSubscriptionHandles());
    }

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    [InlineData(ParityCluster.Merged)]
    public async Task AddSubscription_ThroughSubscriptionManager_GrainReceivesUntilRemoved(string provider)
    {
        var key = Guid.NewGuid();
        var streamId = StreamId.Create("managed", key);
        var manager = Client.ServiceProvider.GetRequiredService<IStreamSubscriptionManagerAdmin>().GetStreamSubscriptionManager(StreamSubscriptionManagerType.ExplicitSubscribeOnly);
        Assert.True(Client.GetStreamProvider(provider).TryGetStreamSubscriptionManager(out _));

        // A second, ordinary subscriber tells when the later events have been delivered.
        string witness = $"managed-witness-{provider}-{key}", managed = $"managed/{provider}/{key}";
        await Cluster.SubscribeAsync(0, witness, "managed", key, provider: provider);
        var subscription = await manager.AddSubscription<IManagedSubscriberGrain>(Client, streamId, provider, key, provider);
        await Cluster.ProduceAsync(1, 0, "managed", key, 0, 5, provider);
        await StreamCluster.WaitForCountAsync(managed, 5);
        Assert.Contains(await manager.GetSubscriptions(provider, streamId), s => s.SubscriptionId == subscription.SubscriptionId);

        await manager.RemoveSubscription(provider, streamId, subscription.SubscriptionId);
        Assert.DoesNotContain(await manager.GetSubscriptions(provider, streamId), s => s.SubscriptionId == subscription.SubscriptionId);
        await Cluster.ProduceAsync(1, 0, "managed", key, 5, 5, provider);
        await StreamCluster.WaitForCountAsync(witness, 10);

        Assert.Equal(Enumerable.Range(0, 5), Journal.Get(managed).Select(r => r.Item.Value));
    }

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    [InlineData(ParityCluster.Merged)]
    public async Task OnNextBatchAsync_TwoBatches_ItemAndBatchSubscribersGetEveryEventInOrderWithOneTokenEach(string provider)
    {
        var key = Guid.NewGuid();
        string items = $"batch-items-{provider}-{key}", batches = $"batch-batches-{provider}-{key}";
        await Cluster.SubscribeAsync(0, items, "batches", key, provider: provider);
        await StreamCluster.OnSiloAsync(Cluster.Cluster.Silos[1], async () => { await Client.GetGrain<IBatchRecorderGrain>(batches).SubscribeAsync(provider, key); return 0; });

        var producer = Client.GetGrain<IProducerGrain>($"batch-producer-{Guid.NewGuid():N}");
        await producer.ProduceBatchAsync(provider, "batches", key, 0, 0, 5);
        await producer.ProduceBatchAsync(provider, "batches", key, 0, 5, 5);

        await StreamCluster.WaitForCountAsync(items, 10);
        await StreamCluster.WaitForCountAsync(batches, 10);
        var byItem = Journal.Get(items);
        var byBatch = Journal.Get(batches);
        Assert.Equal(Enumerable.Range(0, 10), byItem.Select(r => r.Item.Value));
        Assert.Equal(Enumerable.Range(0, 10), byBatch.Select(r => r.Item.Value));
        for (int i = 1; i < byItem.Count; i++)
        {
            Assert.True(byItem[i - 1].Token!.CompareTo(byItem[i].Token) < 0, $"token {byItem[i - 1].Token} then {byItem[i].Token}");
        }

        Assert.Equal(byItem.Select(r => r.Token), byBatch.Select(r => r.Token));
        Assert.Equal(10, Journal.Get($"{batches}/sizes").Sum(r => r.Item.Value));
    }

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    public async Task OnNextAsync_SubscriberThrowsForOneEvent_RetriedUntilMaxEventDeliveryTimeThenOnErrorAndTheStreamGoesOn(string provider)
    {
        var key = Guid.NewGuid();
        string name = $"faulty-{provider}-{key}";
        await Client.GetGrain<IFaultyRecorderGrain>(name).SubscribeAsync(provider, key, poison: 2);

        await Cluster.ProduceAsync(1, 0, "faulty", key, 0, 6, provider);
        await StreamCluster.WaitForCountAsync(name, 5);

        Assert.Equal([0, 1, 3, 4, 5], Journal.Get(name).Select(r => r.Item.Value));
        var attempts = Journal.Get($"{name}/attempts").Count(r => r.Item.Value == 2);
        Assert.True(attempts >= 2, $"the poison event was tried {attempts} times");
        var error = Assert.Single(Journal.Get($"{name}/errors"));
        Assert.Equal(nameof(StreamEventDeliveryFailureException), error.Silo);
    }

    private static Task WaitForAllAsync(IEnumerable<Guid> handles, int count) =>
        Task.WhenAll(handles.Select(h => StreamCluster.WaitForCountAsync($"handle/{h}", count)));

    private static Task Record(string name, Item item, StreamSequenceToken? token)
    {
        Journal.Add(name, new Received(item, token, "client"));
        return Task.CompletedTask;
    }
}
