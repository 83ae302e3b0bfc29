using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.TestingHost;
using SpreadNet.Ring;

namespace SpreadNet.RingSilo.Tests;

/// <summary>An in-process Orleans test cluster whose silos host Spread rings, with waits that poll instead of sleeping.</summary>
internal sealed class RingCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private RingCluster(InProcessTestCluster cluster)
    {
        Cluster = cluster;
    }

    public InProcessTestCluster Cluster { get; }

    /// <summary>Deploys <paramref name="silos"/> silos, each configured by <paramref name="configure"/> (given the silo's name).</summary>
    public static async Task<RingCluster> StartAsync(short silos, Action<string, ISiloBuilder> configure)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        // Silo logs in ./logs only on demand: writing them slows the silos down.
        builder.Options.ConfigureFileLogging = Environment.GetEnvironmentVariable("SPREADNET_SILO_LOGS") == "1";
        builder.ConfigureSilo((options, silo) => configure(options.SiloName, silo));
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

        return new RingCluster(cluster);
    }

    /// <summary>Ring <paramref name="name"/> of every running silo.</summary>
    public RingNode[] Rings(string name) =>
        [.. Cluster.Silos.Select(s => Ring(s, name))];

    public static RingNode Ring(InProcessSiloHandle silo, string name) =>
        silo.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(name).Node;

    /// <summary>Waits until <paramref name="nodes"/> form one ring of exactly themselves.</summary>
    public static Task WaitForOneRingAsync(IReadOnlyList<RingNode> nodes, string what) =>
        WaitUntilAsync(() => FormOneRing(nodes), $"{what}: {nodes.Count} nodes forming one ring", () => string.Join("; ", nodes.Select(n => $"{n.LocalEndPoint}: {n.Configuration}")));

    public static bool FormOneRing(IReadOnlyList<RingNode> nodes)
    {
        var ids = nodes.Select(n => n.Id).Order().ToArray();
        return nodes.All(n => n.Configuration is { } c && c.Members.SequenceEqual(ids))
            && nodes.Select(n => n.Configuration!.Ring).Distinct().Count() == 1;
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? state = null) =>
        SpreadNet.Testing.Eventually.ReachAsync(condition, Timeout, what, state);

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
