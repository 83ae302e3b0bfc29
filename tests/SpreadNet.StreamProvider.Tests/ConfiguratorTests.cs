using Orleans.Hosting;
using Orleans.Streams;
using Orleans.Streams.PubSub;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>Orleans' persistent-stream configurator settings, through the Spread configurators.</summary>
public sealed class ConfiguratorTests
{
    [Fact]
    public async Task ConfigureStreamPubSub_ImplicitOnly_NoSubscriptionManagerAndImplicitSubscribersStillReceive()
    {
        await using var cluster = await StreamCluster.StartAsync(
            2,
            configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, (SiloSpreadStreamConfigurator c) => c.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly)),
            configureClient: client => client.AddSpreadStreams(StreamCluster.Provider, (ClusterClientSpreadStreamConfigurator c) => c.ConfigureStreamPubSub(StreamPubSubType.ImplicitOnly)));
        Assert.False(cluster.Client.GetStreamProvider(StreamCluster.Provider).TryGetStreamSubscriptionManager(out _));

        var key = Guid.NewGuid();
        await cluster.ProduceAsync(1, 0, "implicit", key, 0, 5);
        await StreamCluster.WaitForCountAsync($"implicit/{key}", 5);
        Assert.Equal(Enumerable.Range(0, 5), Journal.Get($"implicit/{key}").Select(r => r.Item.Value));
    }
}
