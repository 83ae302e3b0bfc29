using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;
using SpreadNet.RingSilo;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>
/// The documented configuration mistakes (README, streams section): each stops the silo or client at
/// start, or fails the call, with the documented message; the ring is added when missing.
/// </summary>
public sealed class ConfigurationErrorTests
{
    [Theory]
    [InlineData("QueueCount", "QueueCount is 0; use 1 to 1,024 (8 by default), the same on every silo and client.")]
    [InlineData("CacheSize", "CacheSize is 0; use 1 or more (4,096 by default).")]
    [InlineData("RetentionCount", "RetentionCount is 0; use 1 or more (16,384 by default).")]
    [InlineData("RetentionBytes", "RetentionBytes is 0; use 1 or more (64 MiB by default).")]
    [InlineData("RetentionAge", "RetentionAge is 00:00:00; use a positive time (5 minutes by default).")]
    [InlineData("WatermarkInterval", "WatermarkInterval is 00:02:00; use more than zero and at most 1 minute (100 ms by default).")]
    [InlineData("RingName", "RingName is empty; name a ring added with AddSpreadRing (default \"streams\").")]
    public async Task SiloStart_InvalidSetting_FailsNamingProviderSettingAndFix(string setting, string message)
    {
        var error = await StartFailsAsync(silo => silo.AddSpreadStreams(StreamCluster.Provider, o => Break(o, setting)));
        Assert.Contains($"Spread stream provider '{StreamCluster.Provider}': {message}", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientStart_ZeroQueues_FailsNamingProviderSettingAndFix()
    {
        var error = await StartFailsAsync(
            silo => silo.AddSpreadStreams(StreamCluster.Provider),
            client => client.AddSpreadStreams(StreamCluster.Provider, o => o.QueueCount = 0));
        Assert.Contains($"Spread stream provider '{StreamCluster.Provider}': QueueCount is 0; use 1 to 1,024", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiloStart_NoPubSubStore_FailsNamingTheStorage()
    {
        var error = await StartFailsAsync(silo => silo.AddSpreadStreams(StreamCluster.Provider), pubSubStore: false);
        Assert.Contains("PubSubStore", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddSpreadStreams_RingNotAdded_AddsItWithDefaultsAndDelivers()
    {
        const string ring = "orders";
        await using var cluster = await StreamCluster.StartAsync(2, configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, o => o.RingName = ring), ringName: ring);
        Assert.All(cluster.Cluster.Silos, s => Assert.Equal(ring, s.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(ring).Name));

        var key = Guid.NewGuid();
        string recorder = $"orders-{key}";
        await cluster.SubscribeAsync(1, recorder, "explicit", key);
        await cluster.ProduceAsync(0, 0, "explicit", key, 0, 5);
        await StreamCluster.WaitForCountAsync(recorder, 5);
    }

    [Fact]
    public async Task ClientProducer_SilosWithoutTheProvider_OnNextAsyncFailsNamingTheFix()
    {
        await using var cluster = await StreamCluster.StartAsync(1, configureSilo: silo => silo.AddSpreadRing(SpreadStreamOptions.DefaultRingName));
        var stream = cluster.Client.GetStreamProvider(StreamCluster.Provider).GetStream<Item>("explicit", Guid.NewGuid());

        var error = await Assert.ThrowsAnyAsync<Exception>(() => stream.OnNextAsync(new Item(0, 0)));
        Assert.Contains($"call AddSpreadStreams(\"{StreamCluster.Provider}\") on every silo", Flatten(error), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    public void AddSpreadStreams_InvalidName_ThrowsWhenConfigured(string name)
    {
        var builder = Host.CreateApplicationBuilder();
        var error = Assert.ThrowsAny<ArgumentException>(() => builder.UseOrleans(silo => silo.AddSpreadStreams(name)));
        Assert.Contains("cannot name a Spread stream provider", error.Message, StringComparison.Ordinal);
    }

    private static void Break(SpreadStreamOptions options, string setting)
    {
        switch (setting)
        {
            case "QueueCount": options.QueueCount = 0; break;
            case "CacheSize": options.CacheSize = 0; break;
            case "RetentionCount": options.RetentionCount = 0; break;
            case "RetentionBytes": options.RetentionBytes = 0; break;
            case "RetentionAge": options.RetentionAge = TimeSpan.Zero; break;
            case "WatermarkInterval": options.WatermarkInterval = TimeSpan.FromMinutes(2); break;
            case "RingName": options.RingName = ""; break;
            default: throw new ArgumentOutOfRangeException(nameof(setting), setting, null);
        }
    }

    /// <summary>Starts a one-silo cluster that must fail; returns every message of the failure.</summary>
    private static async Task<string> StartFailsAsync(Action<ISiloBuilder> configureSilo, Action<IClientBuilder>? configureClient = null, bool pubSubStore = true)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var cluster = await StreamCluster.StartAsync(1, configureSilo, configureClient, pubSubStore);
        });
        return Flatten(error);
    }

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate
            ? string.Join(" | ", aggregate.InnerExceptions.Select(Flatten))
            : error.Message + (error.InnerException is { } inner ? " | " + Flatten(inner) : "");
}
