using Orleans;
using Orleans.Runtime;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Tests;

/// <summary>A 3-silo cluster shared by the tests of <see cref="GroupTests"/>; every test uses groups of its own.</summary>
public sealed class GroupClusterFixture : IAsyncLifetime
{
    public GroupCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GroupCluster.StartAsync();

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Group grains in a 3-silo cluster: member grains on every silo and a client observer.</summary>
public sealed class GroupTests(GroupClusterFixture fixture) : IClassFixture<GroupClusterFixture>
{
    private const int PerSender = 25;

    private GroupCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task MulticastAsync_ConcurrentSendersOnEverySiloAndClient_EveryMemberSeesTheIdenticalSequence()
    {
        string group = Unique("vs");
        var members = new List<IMemberGrain>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(await Cluster.JoinAsync(i, $"{group}-m{i}", group));
        }

        var client = new ClientMember($"{group}-client");
        var clientRef = Cluster.Client.CreateObjectReference<IGroupMember>(client);
        await Cluster.Client.GetGroup(group).JoinAsync(clientRef);
        string[] names = [.. Enumerable.Range(0, 3).Select(i => $"{group}-m{i}"), client.Name];
        foreach (string name in names)
        {
            await GroupCluster.WaitForViewAsync(name, group, 4);
        }

        var sends = members.Select(m => m.SendAsync(group, 0, PerSender, GroupServiceType.Agreed)).ToList();
        sends.Add(Task.Run(async () =>
        {
            for (int i = 0; i < PerSender; i++)
            {
                await Cluster.Client.GetGroup(group).MulticastAsync(new Note(client.Name, i), GroupServiceType.Agreed, clientRef);
            }
        }));
        await Task.WhenAll(sends);
        foreach (string name in names)
        {
            await GroupCluster.WaitForMessagesAsync(name, group, 4 * PerSender);
        }

        // From the view that has all four, every member's log is the same, event for event.
        var reference = FromFullView(names[0], group, 4);
        Assert.Equal(1 + (4 * PerSender), reference.Count);
        foreach (string name in names.Skip(1))
        {
            Assert.Equal(reference, FromFullView(name, group, 4));
        }

        // Views name members by identity; messages name their sender; each sender's order is kept.
        var full = Journal.Views(names[0], group).Last(v => v.Members.Count == 4);
        GrainId[] ids = [.. members.Select(m => m.GetGrainId()), clientRef.GetGrainId()];
        Assert.Equal(ids.Order(), full.Members.Select(m => m.Member!.Value).Order());
        Assert.All(full.Members, m => Assert.NotNull(m.Silo));
        var messages = Journal.Messages(names[0], group);
        for (int i = 0; i < names.Length; i++)
        {
            var sent = messages.Where(m => ((Note)m.Payload!).From == names[i]).ToList();
            Assert.Equal(Enumerable.Range(0, PerSender), sent.Select(m => ((Note)m.Payload!).Value));
            Assert.All(sent, m => Assert.Equal(ids[i], m.Sender.Member));
        }

        Cluster.Client.DeleteObjectReference<IGroupMember>(clientRef);
    }

    [Fact]
    public async Task JoinAsync_WhileMembersMulticast_AllMembersAgreeFromTheJoinViewOn()
    {
        string group = Unique("churn");
        string[] names = [.. Enumerable.Range(0, 3).Select(i => $"{group}-m{i}")];
        var early = new[] { await Cluster.JoinAsync(0, names[0], group), await Cluster.JoinAsync(1, names[1], group) };
        await GroupCluster.WaitForViewAsync(names[1], group, 2);

        // Before, during and after the join: the join view falls among concurrent messages.
        await Task.WhenAll(early.Select(m => m.SendAsync(group, 0, PerSender, GroupServiceType.Agreed)));
        var during = early.Select(m => m.SendAsync(group, PerSender, PerSender, GroupServiceType.Agreed)).ToArray();
        var late = await Cluster.JoinAsync(2, names[2], group);
        await Task.WhenAll(during);
        await Task.WhenAll(early.Select(m => m.SendAsync(group, 2 * PerSender, PerSender, GroupServiceType.Agreed)));
        await GroupCluster.WaitForMessagesAsync(names[0], group, 6 * PerSender);
        await GroupCluster.WaitForMessagesAsync(names[1], group, 6 * PerSender);
        await GroupCluster.WaitForMessagesAsync(names[2], group, 2 * PerSender);

        // The late member's first view is its join; from there on, all three logs are one.
        var lateId = late.GetGrainId();
        var joinView = Journal.Views(names[2], group)[0];
        Assert.Equal(GroupChangeReason.Join, joinView.Reason);
        Assert.Equal(lateId, Assert.Single(joinView.Joined).Member);
        await GroupCluster.WaitUntilAsync(
            () => FromView(names[2], group, joinView.Id).Count == FromView(names[0], group, joinView.Id).Count,
            $"{names[2]} catching up");
        var reference = FromView(names[0], group, joinView.Id);
        Assert.Equal(reference, FromView(names[1], group, joinView.Id));
        Assert.Equal(reference, FromView(names[2], group, joinView.Id));
        // At least the batch sent after its join; possibly some sent before it too: MulticastAsync
        // completes once a message is queued at the sender's silo, and it may be ordered after the join.
        Assert.InRange(Journal.Messages(names[2], group).Count, 2 * PerSender, 6 * PerSender);
    }

    [Fact]
    public async Task MulticastAsync_NonMemberAndSeveralGroups_EachGroupGetsOnlyItsMessagesInOneOrder()
    {
        string a = Unique("a");
        string b = Unique("b");
        var both = await Cluster.JoinAsync(0, $"{a}-both", a);
        await both.JoinAsync(b);
        await Cluster.JoinAsync(1, $"{a}-only", a);
        await Cluster.JoinAsync(2, $"{b}-only", b);
        await GroupCluster.WaitForViewAsync($"{a}-both", a, 2);
        await GroupCluster.WaitForViewAsync($"{a}-both", b, 2);
        await GroupCluster.WaitForViewAsync($"{a}-only", a, 2);
        await GroupCluster.WaitForViewAsync($"{b}-only", b, 2);

        var sender = Cluster.Client.GetGrain<ISenderGrain>($"{a}-outsider");
        await Task.WhenAll(
            Cluster.OnSiloAsync(2, async () => { await sender.SendAsync(a, 0, 10, GroupServiceType.Safe); return 0; }),
            both.SendAsync(b, 0, 10, GroupServiceType.Agreed));

        await GroupCluster.WaitForMessagesAsync($"{a}-both", a, 10);
        await GroupCluster.WaitForMessagesAsync($"{a}-both", b, 10);
        await GroupCluster.WaitForMessagesAsync($"{a}-only", a, 10);
        await GroupCluster.WaitForMessagesAsync($"{b}-only", b, 10);
        Assert.Equal(FromFullView($"{a}-both", a, 2), FromFullView($"{a}-only", a, 2));
        Assert.Equal(FromFullView($"{a}-both", b, 2), FromFullView($"{b}-only", b, 2));
        Assert.Empty(Journal.Messages($"{a}-only", b));
        Assert.Empty(Journal.Messages($"{b}-only", a));

        var fromOutsider = Journal.Messages($"{a}-only", a);
        Assert.All(fromOutsider, m => Assert.Equal(GroupServiceType.Safe, m.Service));
        Assert.All(fromOutsider, m => Assert.Null(m.Sender.Member));
        Assert.All(fromOutsider, m => Assert.Equal(Cluster.Cluster.Silos[2].SiloAddress, m.Sender.Silo));
        Assert.All(Journal.Messages($"{b}-only", b), m => Assert.Equal(both.GetGrainId(), m.Sender.Member));
    }

    [Fact]
    public async Task LeaveAsync_Member_OthersSeeLeaveAndItSeesSelfLeaveLast()
    {
        string group = Unique("leave");
        string[] names = [.. Enumerable.Range(0, 3).Select(i => $"{group}-m{i}")];
        var members = new List<IMemberGrain>();
        for (int i = 0; i < 3; i++)
        {
            members.Add(await Cluster.JoinAsync(i, names[i], group));
        }

        await GroupCluster.WaitForViewAsync(names[0], group, 3);
        await members[1].LeaveAsync(group);
        await GroupCluster.WaitForViewAsync(names[0], group, 2);
        await GroupCluster.WaitForViewAsync(names[2], group, 2);
        foreach (string name in new[] { names[0], names[2] })
        {
            var last = Journal.Views(name, group)[^1];
            Assert.Equal(GroupChangeReason.Leave, last.Reason);
            Assert.Equal(members[1].GetGrainId(), Assert.Single(last.Left).Member);
        }

        await GroupCluster.WaitUntilAsync(() => Journal.Views(names[1], group)[^1].Kind == GroupViewKind.SelfLeave, $"{names[1]} seeing its self-leave view");
        await members[0].SendAsync(group, 0, 3, GroupServiceType.Agreed);
        await GroupCluster.WaitForMessagesAsync(names[2], group, 3);
        Assert.Empty(Journal.Messages(names[1], group));
    }

    [Fact]
    public async Task Deactivation_MemberGrain_OthersSeeDisconnect()
    {
        string group = Unique("deact");
        var first = await Cluster.JoinAsync(0, $"{group}-m0", group);
        var second = await Cluster.JoinAsync(1, $"{group}-m1", group);
        await GroupCluster.WaitForViewAsync($"{group}-m0", group, 2);

        await second.DeactivateAsync();
        await GroupCluster.WaitForViewAsync($"{group}-m0", group, 1);
        var last = Journal.Views($"{group}-m0", group)[^1];
        Assert.Equal(GroupChangeReason.Disconnect, last.Reason);
        Assert.Equal(second.GetGrainId(), Assert.Single(last.Left).Member);

        await first.SendAsync(group, 0, 3, GroupServiceType.Agreed);
        await GroupCluster.WaitForMessagesAsync($"{group}-m0", group, 3);
        Assert.Empty(Journal.Messages($"{group}-m1", group));
    }

    [Fact]
    public async Task JoinAsync_CallerRequestContext_IsNotCarriedIntoDeliveries()
    {
        // The member's delivery loop is opened by its first join: it must not send that call's
        // request context (here a test value, in applications a placement hint or a trace id)
        // with every delivery for the rest of the membership.
        string group = Unique("ctx");
        string name = $"{group}-m0";
        RequestContext.Set(Journal.ContextKey, "from the join");
        try
        {
            await Cluster.JoinAsync(0, name, group);
        }
        finally
        {
            RequestContext.Remove(Journal.ContextKey);
        }

        await Cluster.Client.GetGrain<ISenderGrain>($"{group}-sender").SendAsync(group, 0, 3, GroupServiceType.Agreed);
        await GroupCluster.WaitForMessagesAsync(name, group, 3);
        Assert.Empty(Journal.ContextsSeen(name));
    }

    [Fact]
    public async Task GetGroup_BadNames_ThrowClearArgumentExceptions()
    {
        var factory = Cluster.Client;
        Assert.Contains("cannot be empty", Assert.Throws<ArgumentException>(() => factory.GetGroup("")).Message, StringComparison.Ordinal);
        Assert.Contains("not allowed at position 3", Assert.Throws<ArgumentException>(() => factory.GetGroup("has space")).Message, StringComparison.Ordinal);
        Assert.Contains("not allowed at position 1", Assert.Throws<ArgumentException>(() => factory.GetGroup("a#b")).Message, StringComparison.Ordinal);
        Assert.Contains("at most 128", Assert.Throws<ArgumentException>(() => factory.GetGroup(new string('g', 200))).Message, StringComparison.Ordinal);
        Assert.Contains("cannot name a Spread ring", Assert.Throws<ArgumentException>(() => factory.GetGroup("g", "bad/ring")).Message, StringComparison.Ordinal);

        var member = Cluster.Client.CreateObjectReference<IGroupMember>(new ClientMember(Unique("bad")));
        var reserved = await Assert.ThrowsAsync<ArgumentException>(() => factory.GetGroup("~mine").JoinAsync(member));
        Assert.Contains("starts with '~'", reserved.Message, StringComparison.Ordinal);
        Cluster.Client.DeleteObjectReference<IGroupMember>(member);
    }

    [Fact]
    public async Task JoinAsync_RingWithoutGroups_ThrowsSayingHowToAddThem()
    {
        var member = Cluster.Client.CreateObjectReference<IGroupMember>(new ClientMember(Unique("noring")));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Cluster.Client.GetGroup("g", "elsewhere").JoinAsync(member));
        Assert.Contains("AddSpreadGroups(\"elsewhere\")", error.Message, StringComparison.Ordinal);
        Assert.Contains("groups", error.Message, StringComparison.Ordinal);
        Cluster.Client.DeleteObjectReference<IGroupMember>(member);
    }

    internal static List<string> FromView(string member, string group, GroupPosition view)
    {
        var entries = Journal.Get(member);
        int start = entries.FindIndex(e => e is GroupViewInfo v && v.Group == group && v.Id == view);
        return start < 0 ? [] : [.. entries.Skip(start).Select(e => Journal.Describe(e, group)).OfType<string>()];
    }

    internal static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary><paramref name="member"/>'s log of <paramref name="group"/> from its first regular view of <paramref name="count"/> members.</summary>
    internal static List<string> FromFullView(string member, string group, int count)
    {
        var entries = Journal.Get(member);
        int start = entries.FindIndex(e => e is GroupViewInfo { Kind: GroupViewKind.Regular } v && v.Group == group && v.Members.Count == count);
        Assert.True(start >= 0, $"{member} never saw a view of {group} with {count} members");
        return [.. entries.Skip(start).Select(e => Journal.Describe(e, group)).OfType<string>()];
    }
}
