using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;
using Xunit.Abstractions;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>A client holding an explicit subscription goes away without unsubscribing.</summary>
public sealed class ClientDropTests(ITestOutputHelper output)
{
    /// <summary>How long a gateway keeps a disconnected client's messages (Orleans' default: 1 minute).</summary>
    private static readonly TimeSpan ClientDropTimeout = TimeSpan.FromSeconds(2);

    [Theory]
    [InlineData(StreamCluster.Provider)]
    [InlineData(ParityCluster.Memory)]
    public async Task KillClientAsync_ClientSubscribed_OtherSubscribersGoOnAndPubSubDropsTheClient(string provider)
    {
        await using var cluster = await StreamCluster.StartAsync(
            2,
            configureSilo: silo => silo
                .Configure<SiloMessagingOptions>(o => o.ClientDropTimeout = ClientDropTimeout)
                .AddSpreadStreams(StreamCluster.Provider)
                .AddMemoryStreams(ParityCluster.Memory),
            configureClient: client => client.AddSpreadStreams(StreamCluster.Provider).AddMemoryStreams(ParityCluster.Memory));
        var key = Guid.NewGuid();
        var streamId = StreamId.Create("drop", key);
        string grain = $"drop-grain-{key}", client = $"drop-client-{key}";
        await cluster.SubscribeAsync(1, grain, "drop", key, provider: provider);
        await cluster.Client.GetStreamProvider(provider).GetStream<Item>(streamId).SubscribeAsync((item, token) =>
        {
            Journal.Add(client, new Received(item, token, "client"));
            return Task.CompletedTask;
        });
        await cluster.ProduceAsync(0, 0, "drop", key, 0, 5, provider);
        await StreamCluster.WaitForCountAsync(client, 5);
        await StreamCluster.WaitForCountAsync(grain, 5);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await cluster.Cluster.KillClientAsync();
        await cluster.Cluster.InitializeClientAsync();
        var manager = cluster.Client.ServiceProvider.GetRequiredService<IStreamSubscriptionManagerAdmin>().GetStreamSubscriptionManager(StreamSubscriptionManagerType.ExplicitSubscribeOnly);
        Assert.Equal(2, (await manager.GetSubscriptions(provider, streamId)).Count());

        await cluster.ProduceAsync(0, 0, "drop", key, 5, 5, provider);
        await StreamCluster.WaitForCountAsync(grain, 10);
        Assert.Equal(Enumerable.Range(0, 10), Journal.Get(grain).Select(r => r.Item.Value));
        Assert.Equal(Enumerable.Range(0, 5), Journal.Get(client).Select(r => r.Item.Value));

        output.WriteLine($"{provider}: the grain had every event {clock.Elapsed.TotalSeconds:F1} s after the client was killed");
        int left = 2;
        await StreamCluster.WaitUntilAsync(
            () => (left = manager.GetSubscriptions(provider, streamId).GetAwaiter().GetResult().Count()) == 1,
            "the stream's pub-sub dropping the dead client's subscription",
            () => $"it has {left}");
        output.WriteLine($"{provider}: the dead client's subscription was dropped after {clock.Elapsed.TotalSeconds:F1} s");

        await cluster.ProduceAsync(1, 0, "drop", key, 10, 5, provider);
        await StreamCluster.WaitForCountAsync(grain, 15);
        Assert.Equal(Enumerable.Range(0, 15), Journal.Get(grain).Select(r => r.Item.Value));
        output.WriteLine($"{provider}: done {clock.Elapsed.TotalSeconds:F1} s after the client was killed");
    }
}
