using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.Streams;
using Orleans.TestingHost;
using SpreadNet.Ring;
using SpreadNet.RingSilo;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>An in-process Orleans cluster with the Spread stream provider "spread" on every silo and the client.</summary>
internal sealed class StreamCluster : IAsyncDisposable
{
    public const string Provider = "spread";
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("SPREADNET_STREAM_TIMEOUT_S") is { } s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 30);

    private StreamCluster(InProcessTestCluster cluster)
    {
        Cluster = cluster;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    public static async Task<StreamCluster> StartAsync(short silos = 3, Action<ISiloBuilder>? configureSilo = null, Action<IClientBuilder>? configureClient = null, bool pubSubStore = true, string ringName = SpreadStreamOptions.DefaultRingName)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = Environment.GetEnvironmentVariable("SPREADNET_SILO_LOGS") == "1";
        builder.ConfigureSilo((_, silo) =>
        {
            if (pubSubStore)
            {
                silo.AddMemoryGrainStorage("PubSubStore");
            }

            if (configureSilo is null)
            {
                silo.AddSpreadStreams(Provider);
            }
            else
            {
                configureSilo(silo);
            }
        });
        builder.ConfigureClient(client =>
        {
            if (configureClient is null)
            {
                client.AddSpreadStreams(Provider);
            }
            else
            {
                configureClient(client);
            }
        });
        var cluster = builder.Build();
        try
        {
            await cluster.DeployAsync();
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        var result = new StreamCluster(cluster);
        await result.WaitForOneRingAsync(ringName);
        return result;
    }

    public Task WaitForOneRingAsync(string ringName = SpreadStreamOptions.DefaultRingName)
    {
        RingNode[] Rings() => [.. Cluster.Silos.Select(s => s.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(ringName).Node)];
        return WaitUntilAsync(
            () =>
            {
                var nodes = Rings();
                var ids = nodes.Select(n => n.Id).Order().ToArray();
                return nodes.All(n => n.Configuration is { } c && c.Members.SequenceEqual(ids));
            },
            "the silos forming one ring");
    }

    /// <summary>Calls <paramref name="call"/> with a placement hint for silo <paramref name="silo"/> (the first call activates the grain there).</summary>
    public static async Task<T> OnSiloAsync<T>(InProcessSiloHandle silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, silo.SiloAddress);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    public async Task<string> SubscribeAsync(int silo, string recorder, string streamNamespace, Guid key, StreamSequenceToken? from = null, string provider = Provider)
    {
        var grain = Client.GetGrain<IRecorderGrain>(recorder);
        string where = await OnSiloAsync(Cluster.Silos[silo], () => grain.SubscribeAsync(provider, streamNamespace, key, from));
        Assert.Equal(Cluster.Silos[silo].Name, where);
        return where;
    }

    public Task<string> ProduceAsync(int silo, int producer, string streamNamespace, Guid key, int first, int count, string provider = Provider, int delayMs = 0) =>
        OnSiloAsync(Cluster.Silos[silo], () => Client.GetGrain<IProducerGrain>($"producer-{producer}-{Guid.NewGuid():N}").ProduceAsync(provider, streamNamespace, key, producer, first, count, delayMs));

    public static Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? state = null) =>
        SpreadNet.Testing.Eventually.ReachAsync(condition, Timeout, what, state);

    public static Task WaitForCountAsync(string subscriber, int count) =>
        WaitUntilAsync(() => Journal.Get(subscriber).Count >= count, $"{subscriber} receiving {count} events", () => $"it has {Journal.Get(subscriber).Count}");

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
