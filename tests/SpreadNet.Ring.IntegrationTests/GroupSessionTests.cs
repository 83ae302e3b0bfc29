using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Sessions, groups and views over real sockets on 127.0.0.1.</summary>
public sealed class GroupSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ThreeMembers_MulticastConcurrently_AllSeeIdenticalViewsAndMessages()
    {
        const int perSender = 2_000;
        await using var ring = await LoopbackRing.StartAsync(3, 0);
        var sessions = ring.Nodes.Select((n, i) => n.OpenSession($"member{i}")).ToArray();
        var recorders = sessions.Select(s => new SessionRecorder(s)).ToArray();
        await Task.WhenAll(sessions.Select(s => s.JoinAsync("chat")));
        await Task.WhenAll(recorders.Select(r => r.WaitForAsync(x => x.Views.LastOrDefault()?.Members.Count == 3, Timeout, "3 members")));

        await Task.WhenAll(sessions.Select((s, i) => Task.Run(async () =>
        {
            for (int c = 0; c < perSender; c++)
            {
                await s.MulticastAsync("chat", SessionRecorder.Payload(i, c), c % 2 == 0 ? ServiceType.Agreed : ServiceType.Safe);
            }
        })));
        await Task.WhenAll(recorders.Select(r => r.WaitForAsync(x => x.Messages == 3 * perSender, Timeout, "all messages")));

        // The last joiner's first view is its own join; from there on, every member's stream is identical.
        var tails = recorders.Select(r => r.Lines.SkipWhile(l => !l.Contains("3 members", StringComparison.Ordinal) && !IsThreeMemberView(l)).ToArray()).ToArray();
        Assert.All(tails, t => Assert.Equal(tails[0], t));
        Assert.Equal(3 * perSender, tails[0].Count(l => l.StartsWith("msg", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(ServiceType.Unreliable)]
    [InlineData(ServiceType.Reliable)]
    [InlineData(ServiceType.Fifo)]
    [InlineData(ServiceType.Causal)]
    [InlineData(ServiceType.Agreed)]
    [InlineData(ServiceType.Safe)]
    public async Task EveryServiceType_ThreeSenders_SameOrderEverywhereAndFifoPerSender(ServiceType service)
    {
        const int perSender = 1_000;
        await using var ring = await LoopbackRing.StartAsync(3, 0);
        var sessions = ring.Nodes.Select((n, i) => n.OpenSession($"s{i}")).ToArray();
        var recorders = sessions.Select(s => new SessionRecorder(s)).ToArray();
        await Task.WhenAll(sessions.Select(s => s.JoinAsync("svc")));
        await Task.WhenAll(recorders.Select(r => r.WaitForAsync(x => x.Views.LastOrDefault()?.Members.Count == 3, Timeout, "3 members")));
        await Task.WhenAll(sessions.Select((s, i) => Task.Run(async () =>
        {
            for (int c = 0; c < perSender; c++)
            {
                await s.MulticastAsync("svc", SessionRecorder.Payload(i, c), service);
            }
        })));

        // Readers keep up, so even unreliable messages all arrive on loopback.
        await Task.WhenAll(recorders.Select(r => r.WaitForAsync(x => x.Messages == 3 * perSender, Timeout, "all messages")));
        var streams = recorders.Select(r => r.Lines.Where(l => l.StartsWith("msg", StringComparison.Ordinal)).ToArray()).ToArray();
        Assert.All(streams, s => Assert.Equal(streams[0], s));
        Assert.All(streams[0], l => Assert.Contains($" {service} ", l, StringComparison.Ordinal));
        for (int sender = 0; sender < 3; sender++)
        {
            var counters = streams[0].Select(l => l.Split(' ')[^1].Split(':')).Where(p => p[0] == sender.ToString(System.Globalization.CultureInfo.InvariantCulture)).Select(p => int.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(Enumerable.Range(0, perSender), counters);
        }
    }

    [Fact]
    public async Task SessionEnds_OthersSeeDisconnect_NodeCrash_OthersSeeTransitionalThenNetwork()
    {
        await using var ring = await LoopbackRing.StartAsync(3, 0, o => o.ApplyPreset(RingPreset.Vital));
        var sessions = ring.Nodes.Select((n, i) => n.OpenSession($"m{i}")).ToArray();
        var extra = ring.Nodes[1].OpenSession("extra");
        var recorders = sessions.Select(s => new SessionRecorder(s)).ToArray();
        foreach (var s in sessions.Append(extra))
        {
            await s.JoinAsync("g");
        }

        await recorders[0].WaitForAsync(x => x.Views.LastOrDefault()?.Members.Count == 4, Timeout, "4 members");
        await extra.DisposeAsync();
        await recorders[0].WaitForAsync(x => x.Views.LastOrDefault()?.Reason == ViewChangeReason.Disconnect, Timeout, "disconnect view");
        Assert.DoesNotContain(recorders[0].Views[^1].Members, m => m.SessionName == "extra");

        await ring.Nodes[2].CrashAsync();
        await recorders[0].WaitForAsync(x => x.Views.LastOrDefault() is { Kind: GroupViewKind.Regular, Reason: ViewChangeReason.Network, Members.Count: 2 }, Timeout, "network view");
        var last = recorders[0].Views[^2..];
        Assert.Equal(GroupViewKind.Transitional, last[0].Kind);
        Assert.Equal(["m0", "m1"], last[0].Members.Select(m => m.SessionName).Order());
        Assert.Equal(["m2"], last[0].Left.Select(m => m.SessionName));
        await recorders[1].WaitForAsync(x => x.Views.LastOrDefault() is { Kind: GroupViewKind.Regular, Reason: ViewChangeReason.Network }, Timeout, "network view");
        Assert.Equal(recorders[0].Views[^2..].Select(v => v.ToString()), recorders[1].Views[^2..].Select(v => v.ToString()));
    }

    [Fact]
    public async Task SelfDiscardPrivateAndMultiGroup_DeliverToTheRightSessionsOnce()
    {
        await using var ring = await LoopbackRing.StartAsync(2, 0);
        var a = ring.Nodes[0].OpenSession("a");
        var b = ring.Nodes[1].OpenSession("b");
        var ra = new SessionRecorder(a);
        var rb = new SessionRecorder(b);
        await a.JoinAsync("x");
        await b.JoinAsync("x");
        await b.JoinAsync("y");
        await ra.WaitForAsync(x => x.Views.LastOrDefault()?.Members.Count == 2, Timeout, "2 members");

        await a.MulticastAsync("x", SessionRecorder.Payload(1, 1), flags: MulticastFlags.SelfDiscard);
        await a.MulticastAsync(b.Member.Name, SessionRecorder.Payload(1, 2));
        await a.MulticastAsync(["x", "y"], new System.Buffers.ReadOnlySequence<byte>(SessionRecorder.Payload(1, 3)));
        await rb.WaitForAsync(x => x.Messages == 3, Timeout, "3 messages at b");
        await ra.WaitForAsync(x => x.Messages == 1, Timeout, "1 message at a");
        var atB = rb.Lines.Where(l => l.StartsWith("msg", StringComparison.Ordinal)).ToArray();
        Assert.Contains("[x]", atB[0], StringComparison.Ordinal);
        Assert.Contains($"[{b.Member.Name}]", atB[1], StringComparison.Ordinal);
        Assert.Contains("[x,y]", atB[2], StringComparison.Ordinal);
        Assert.Contains("1:3:8", ra.Lines.Single(l => l.StartsWith("msg", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReaderFallsBehind_PayloadsCopiedIntoPooledBuffers_ArriveIntact()
    {
        const int count = 3_000;
        await using var ring = await LoopbackRing.StartAsync(2, 0);
        var sender = ring.Nodes[0].OpenSession("sender");

        // Depth 0: every message that finds another queued is copied, packed into the node's buffers.
        var lagging = ring.Nodes[1].OpenSession("lagging", new RingSessionOptions { ZeroCopyQueueDepth = 0 });
        await lagging.JoinAsync("g");
        for (int i = 0; i < count; i++)
        {
            await sender.MulticastAsync("g", Sized(i));
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (lagging.QueuedEvents < count + 1)
        {
            Assert.True(watch.Elapsed < Timeout, $"{lagging.QueuedEvents} of {count + 1} events queued.");
            await Task.Delay(10);
        }

        int received = 0;
        while (received < count && lagging.Events.TryRead(out var item))
        {
            using (item)
            {
                if (item.Kind == SessionEventKind.Message)
                {
                    Assert.Equal(Sized(received), item.Message.Payload.ToArray());
                    received++;
                }
            }
        }

        Assert.Equal(count, received);
    }

    /// <summary>1 to 1,500 bytes, so that copies straddle the end of a buffer and start another.</summary>
    private static byte[] Sized(int i) => [.. Enumerable.Range(0, 1 + (i * 37 % 1_500)).Select(j => (byte)(i + j))];

    private static bool IsThreeMemberView(string line) =>
        line.StartsWith("view Regular", StringComparison.Ordinal) && line.Count(c => c == '#') == 6;
}
