using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SpreadNet.RingSilo;

namespace SpreadNet.Benchmarks;

/// <summary>What the Orleans scenarios (streams, groups) do with their in-process silos.</summary>
internal static class BenchSilos
{
    /// <summary>An in-process cluster builder without TestingHost's log files (they halve the throughput of every transport).</summary>
    public static InProcessTestClusterBuilder Builder(short silos)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = false;
        return builder;
    }

    /// <summary>Waits until every silo's ring <paramref name="ring"/> has every silo's node as a member.</summary>
    public static async Task WaitForOneRingAsync(InProcessTestCluster cluster, string ring, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var nodes = cluster.Silos.Select(s => s.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(ring).Node).ToArray();
            var ids = nodes.Select(n => n.Id).Order().ToArray();
            if (nodes.All(n => n.Configuration is { } c && c.Members.SequenceEqual(ids)))
            {
                return;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The silos did not form one ring '{ring}' within 30 s.");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Calls <paramref name="call"/> with a placement hint for <paramref name="silo"/> (the first call activates the grain there).</summary>
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
}
