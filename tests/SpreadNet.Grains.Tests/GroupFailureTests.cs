using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using SpreadNet.Interfaces;
using SpreadNet.RingSilo;

namespace SpreadNet.Grains.Tests;

/// <summary>Members lost with their client or silo. One cluster per test, one test at a time (xunit.runner.json).</summary>
public sealed class GroupFailureTests
{
    [Fact]
    public async Task ClientStopped_ObserverMember_OthersSeeDisconnectAtTheNextDelivery()
    {
        await using var cluster = await GroupCluster.StartAsync();
        string group = GroupTests.Unique("client");
        var grain = await cluster.JoinAsync(0, $"{group}-m0", group);
        var client = new ClientMember($"{group}-client");
        var clientRef = cluster.Client.CreateObjectReference<IGroupMember>(client);
        await cluster.Client.GetGroup(group).JoinAsync(clientRef);
        await GroupCluster.WaitForViewAsync($"{group}-m0", group, 2);
        await GroupCluster.WaitForViewAsync(client.Name, group, 2);

        await cluster.Cluster.StopClusterClientAsync();
        await cluster.Cluster.InitializeClientAsync();

        // The client's loss is found when a delivery to it fails.
        await cluster.Client.GetGrain<IMemberGrain>($"{group}-m0").SendAsync(group, 0, 1, GroupServiceType.Agreed);
        await GroupCluster.WaitForViewAsync($"{group}-m0", group, 1);
        var last = Journal.Views($"{group}-m0", group)[^1];
        Assert.Equal(GroupChangeReason.Disconnect, last.Reason);
        Assert.Equal(clientRef.GetGrainId(), Assert.Single(last.Left).Member);
        Assert.Empty(Journal.Messages(client.Name, group));
        GC.KeepAlive(grain);
    }

    [Fact]
    public async Task SiloCrashedThenStopped_MembersOnThem_LeaveInTheNextViewAtSurvivors()
    {
        await using var cluster = await GroupCluster.StartAsync();
        string group = GroupTests.Unique("silo");
        string[] names = [.. Enumerable.Range(0, 3).Select(i => $"{group}-m{i}")];
        var members = new List<IMemberGrain>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(await cluster.JoinAsync(i, names[i], group));
        }

        foreach (string name in names)
        {
            await GroupCluster.WaitForViewAsync(name, group, 3);
        }

        // A test-cluster kill still runs the silo's stop steps (the ring would end its sessions
        // gracefully): the ring node stops first without a word, as in a crash.
        var crashed = cluster.Cluster.Silos[2];
        await crashed.SiloHost.Services.GetRequiredService<ISpreadRings>().GetRing(GroupKeys.DefaultRing).Node.CrashAsync();
        await cluster.Cluster.KillSiloAsync(crashed);
        await GroupCluster.WaitForViewAsync(names[0], group, 2);
        await GroupCluster.WaitForViewAsync(names[1], group, 2);
        Assert.Equal(FromThreeView(names[0], group), FromThreeView(names[1], group));
        // Spread's pair: a transitional view naming the lost member, then a regular view (Network).
        var afterCrash = Journal.Views(names[0], group)[^2..];
        Assert.Equal(GroupViewKind.Transitional, afterCrash[0].Kind);
        Assert.Equal(members[2].GetGrainId(), Assert.Single(afterCrash[0].Left).Member);
        Assert.Equal(GroupChangeReason.Network, afterCrash[1].Reason);

        await cluster.Cluster.StopSiloAsync(cluster.Cluster.Silos[1]);
        await GroupCluster.WaitForViewAsync(names[0], group, 1);
        var afterStop = Journal.Views(names[0], group)[^1];
        // A silo that stops gracefully ends its members' sessions before its ring leaves.
        Assert.Equal(GroupChangeReason.Disconnect, afterStop.Reason);
        Assert.Equal(members[1].GetGrainId(), Assert.Single(afterStop.Left).Member);

        // The survivor still multicasts and receives.
        await members[0].SendAsync(group, 0, 3, GroupServiceType.Safe);
        await GroupCluster.WaitForMessagesAsync(names[0], group, 3);
    }

    private static List<string> FromThreeView(string member, string group) => GroupTests.FromFullView(member, group, 3);
}
