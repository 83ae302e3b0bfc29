using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SpreadNet.Interfaces;
using SpreadNet.Ring;
using SpreadNet.RingSilo;

namespace SpreadNet.Grains.Tests;

/// <summary>An in-process Orleans cluster with group grains on ring "groups" on every silo.</summary>
public sealed class GroupCluster : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("SPREADNET_GROUPS_TIMEOUT_S") is { } s ? double.Parse(s, System.Globalization.CultureInfo.InvariantCulture) : 30);

    private GroupCluster(InProcessTestCluster cluster)
    {
        Cluster = cluster;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>Starts the cluster; deliveries to a gone client fail after 3 s, to keep the client test short.</summary>
    public static async Task<GroupCluster> StartAsync(short silos = 3)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ConfigureFileLogging = Environment.GetEnvironmentVariable("SPREADNET_SILO_LOGS") == "1";
        builder.ConfigureSilo((_, silo) => silo.AddSpreadGroups(configure: o => o.ClientResponseTimeout = TimeSpan.FromSeconds(3)));
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

        var result = new GroupCluster(cluster);
        await result.WaitForOneRingAsync();
        return result;
    }

    public Task WaitForOneRingAsync()
    {
        RingNode[] Rings() => [.. Cluster.Silos.Select(s => s.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(GroupKeys.DefaultRing).Node)];
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
    public async Task<T> OnSiloAsync<T>(int silo, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, Cluster.Silos[silo].SiloAddress);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <summary>Joins member grain <paramref name="name"/>, activated on silo <paramref name="silo"/>, to <paramref name="group"/>.</summary>
    public async Task<IMemberGrain> JoinAsync(int silo, string name, string group)
    {
        var grain = Client.GetGrain<IMemberGrain>(name);
        string where = await OnSiloAsync(silo, () => grain.JoinAsync(group));
        Assert.Equal(Cluster.Silos[silo].Name, where);
        return grain;
    }

    public static Task WaitUntilAsync(Func<bool> condition, string what, Func<string>? state = null) =>
        SpreadNet.Testing.Eventually.ReachAsync(condition, Timeout, what, state);

    public static Task WaitForMessagesAsync(string member, string group, int count) =>
        WaitUntilAsync(() => Journal.Messages(member, group).Count >= count, $"{member} receiving {count} messages of {group}", () => $"it has {Journal.Messages(member, group).Count}");

    /// <summary>Waits until <paramref name="member"/>'s last view of <paramref name="group"/> is a regular view of exactly <paramref name="count"/> members.</summary>
    public static Task WaitForViewAsync(string member, string group, int count) =>
        WaitUntilAsync(
            () => Journal.Views(member, group) is { Count: > 0 } views && views[^1] is { Kind: GroupViewKind.Regular } last && last.Members.Count == count,
            $"{member} seeing a regular view of {group} with {count} members",
            () => $"its views: {string.Join(" | ", Journal.Views(member, group))}");

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
    }
}
