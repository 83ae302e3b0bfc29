using Orleans.Streams;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>
/// The provider in a 3-silo in-process cluster: producers on every silo and the client, explicit
/// subscribers on every silo and the client, implicit subscribers. One cluster per test, one test at
/// a time (xunit.runner.json).
/// </summary>
public sealed class SpreadStreamTests
{
    private const int PerProducer = 40;

    [Fact]
    public async Task OnNextAsync_ProducersOnEverySilo_EverySubscriberSeesTheIdenticalSequence()
    {
        await using var cluster = await StreamCluster.StartAsync();
        var key = Guid.NewGuid();
        string[] recorders = [.. Enumerable.Range(0, 3).Select(i => $"explicit-{key}-{i}")];
        for (int i = 0; i < 3; i++)
        {
            await cluster.SubscribeAsync(i, recorders[i], "explicit", key);
        }

        string clientName = $"client-{key}";
        var handle = await cluster.Client.GetStreamProvider(StreamCluster.Provider).GetStream<Item>("explicit", key).SubscribeAsync((item, token) =>
        {
            Journal.Add(clientName, new Received(item, token, "client"));
            return Task.CompletedTask;
        });

        await Task.WhenAll(Enumerable.Range(0, 3).Select(i => cluster.ProduceAsync(i, i, "explicit", key, 0, PerProducer)));

        foreach (var subscriber in recorders.Append(clientName))
        {
            await StreamCluster.WaitForCountAsync(subscriber, 3 * PerProducer);
        }

        var reference = Journal.Get(recorders[0]);
        AssertWellFormed(reference, 3);
        foreach (var subscriber in recorders.Skip(1).Append(clientName))
        {
            var other = Journal.Get(subscriber);
            Assert.Equal(reference.Select(r => r.Item), other.Select(r => r.Item));
            Assert.Equal(reference.Select(r => r.Token), other.Select(r => r.Token));
        }

        await handle.UnsubscribeAsync();
    }

    [Fact]
    public async Task ImplicitSubscription_ProducersOnTwoSilos_GrainReceivesEveryEventInRingOrder()
    {
        await using var cluster = await StreamCluster.StartAsync();
        var key = Guid.NewGuid();

        await Task.WhenAll(cluster.ProduceAsync(1, 1, "implicit", key, 0, PerProducer), cluster.ProduceAsync(2, 2, "implicit", key, 0, PerProducer));

        await StreamCluster.WaitForCountAsync($"implicit/{key}", 2 * PerProducer);
        AssertWellFormed(Journal.Get($"implicit/{key}"), 2);
    }

    [Fact]
    public async Task ClientProducer_ThroughASilo_SubscribersOnEverySiloReceiveInOrder()
    {
        await using var cluster = await StreamCluster.StartAsync();
        var key = Guid.NewGuid();
        string[] recorders = [.. Enumerable.Range(0, 3).Select(i => $"fromclient-{key}-{i}")];
        for (int i = 0; i < 3; i++)
        {
            await cluster.SubscribeAsync(i, recorders[i], "explicit", key);
        }

        var stream = cluster.Client.GetStreamProvider(StreamCluster.Provider).GetStream<Item>("explicit", key);
        for (int i = 0; i < PerProducer; i++)
        {
            await stream.OnNextAsync(new Item(9, i));
        }

        foreach (var recorder in recorders)
        {
            await StreamCluster.WaitForCountAsync(recorder, PerProducer);
            Assert.Equal(Enumerable.Range(0, PerProducer), Journal.Get(recorder).Select(r => r.Item.Value));
        }
    }

    [Fact]
    public async Task SubscribeAsync_FromAnEarlierToken_ReplaysFromThatEvent()
    {
        await using var cluster = await StreamCluster.StartAsync();
        var key = Guid.NewGuid();
        string first = $"first-{key}", late = $"late-{key}";
        await cluster.SubscribeAsync(0, first, "explicit", key);
        await cluster.ProduceAsync(1, 1, "explicit", key, 0, PerProducer);
        await StreamCluster.WaitForCountAsync(first, PerProducer);
        var tenth = Journal.Get(first)[10];

        await cluster.SubscribeAsync(2, late, "explicit", key, tenth.Token);
        await cluster.ProduceAsync(1, 1, "explicit", key, PerProducer, 5);

        await StreamCluster.WaitForCountAsync(late, PerProducer - 10 + 5);
        var replayed = Journal.Get(late);
        Assert.Equal(Enumerable.Range(10, PerProducer - 10 + 5), replayed.Select(r => r.Item.Value));
        Assert.Equal(tenth.Token, replayed[0].Token);
    }

    [Fact]
    public async Task UnsubscribeAsync_ThenMoreEvents_UnsubscribedRecorderGetsNoMore()
    {
        await using var cluster = await StreamCluster.StartAsync();
        var key = Guid.NewGuid();
        string stays = $"stays-{key}", leaves = $"leaves-{key}";
        await cluster.SubscribeAsync(0, stays, "explicit", key);
        await cluster.SubscribeAsync(1, leaves, "explicit", key);
        await cluster.ProduceAsync(2, 2, "explicit", key, 0, 10);
        await StreamCluster.WaitForCountAsync(leaves, 10);

        await cluster.Client.GetGrain<IRecorderGrain>(leaves).UnsubscribeAsync();
        await cluster.ProduceAsync(2, 2, "explicit", key, 10, 10);
        await StreamCluster.WaitForCountAsync(stays, 20);

        Assert.Equal(10, Journal.Get(leaves).Count);
    }

    [Fact]
    public async Task TwoProviders_OneSilo_EachDeliversOnlyItsOwnEvents()
    {
        await using var cluster = await StreamCluster.StartAsync(
            configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider).AddSpreadStreams("spread2", o => o.QueueCount = 4),
            configureClient: client => client.AddSpreadStreams(StreamCluster.Provider).AddSpreadStreams("spread2", o => o.QueueCount = 4));
        var key = Guid.NewGuid();
        string one = $"one-{key}", two = $"two-{key}";
        await cluster.SubscribeAsync(0, one, "explicit", key);
        await cluster.SubscribeAsync(1, two, "explicit", key, provider: "spread2");

        await cluster.ProduceAsync(2, 1, "explicit", key, 0, 10);
        await cluster.ProduceAsync(2, 2, "explicit", key, 0, 15, provider: "spread2");

        await StreamCluster.WaitForCountAsync(one, 10);
        await StreamCluster.WaitForCountAsync(two, 15);
        Assert.All(Journal.Get(one), r => Assert.Equal(1, r.Item.Producer));
        Assert.All(Journal.Get(two), r => Assert.Equal(2, r.Item.Producer));
    }

    /// <summary>Each producer's items in its order, no gaps or duplicates, tokens strictly increasing.</summary>
    internal static void AssertWellFormed(List<Received> received, int producers)
    {
        Assert.Equal(producers * PerProducer, received.Count);
        foreach (var group in received.GroupBy(r => r.Item.Producer))
        {
            Assert.Equal(Enumerable.Range(0, PerProducer), group.Select(r => r.Item.Value));
        }

        for (int i = 1; i < received.Count; i++)
        {
            Assert.True(received[i - 1].Token!.CompareTo(received[i].Token) < 0, $"token {received[i - 1].Token} then {received[i].Token}");
        }
    }
}
