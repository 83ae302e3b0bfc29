using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Scale and limits: a slow reader, 1 MiB messages, 100,000 groups.</summary>
public sealed class SessionLimitsTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SlowReader_PastItsLimit_IsWarnedFirstThenEndedWithAClearError_OthersSeeDisconnect()
    {
        await using var ring = await LoopbackRing.StartAsync(2, 0);
        var slow = ring.Nodes[0].OpenSession("slow", new RingSessionOptions { MaxQueuedMessages = 1_000 });
        var sender = ring.Nodes[1].OpenSession("sender");
        var watcher = new SessionRecorder(sender);
        SessionBacklog? warning = null;
        int queuedAtWarning = -1;
        slow.Backlogged += (_, backlog) =>
        {
            warning = backlog;
            queuedAtWarning = slow.QueuedEvents;
        };
        await slow.JoinAsync("feed");
        await sender.JoinAsync("feed");

        // Unreliable messages beyond the limit are dropped (counted) without ending the session.
        for (int i = 0; i < 1_500; i++)
        {
            await sender.MulticastAsync("feed", SessionRecorder.Payload(1, i), ServiceType.Unreliable);
        }

        await watcher.WaitForAsync(x => x.Messages == 1_500, Timeout, "sender's own unreliable messages");
        await WaitUntil(() => ring.Nodes[0].GroupCounters.MessagesDropped >= 500 - 2, "unreliable drops");
        Assert.NotNull(warning);
        Assert.True(queuedAtWarning < 1_000, "The warning must come before anything is dropped.");
        Assert.Equal(0, ring.Nodes[0].GroupCounters.SessionsEvicted);

        // A reliable message that does not fit ends the session, loudly.
        for (int i = 0; i < 10; i++)
        {
            await sender.MulticastAsync("feed", SessionRecorder.Payload(2, i), ServiceType.Agreed);
        }

        await watcher.WaitForAsync(x => x.Views.LastOrDefault()?.Reason == ViewChangeReason.Disconnect, Timeout, "the slow session's disconnect");
        Assert.Equal(1, ring.Nodes[0].GroupCounters.SessionsEvicted);
        int read = 0;
        var error = await Assert.ThrowsAsync<SessionOverflowException>(async () =>
        {
            await foreach (var item in slow.ReadAllAsync())
            {
                item.Dispose();
                read++;
            }
        });
        Assert.Contains("MaxQueuedMessages 1000", error.Message, StringComparison.Ordinal);
        Assert.InRange(read, 999, 1_002);
    }

    [Fact]
    public async Task OneMebibyteMessages_ArriveWholeAtEveryMember()
    {
        await using var ring = await LoopbackRing.StartAsync(3, 0);
        var sessions = ring.Nodes.Select((n, i) => n.OpenSession($"m{i}")).ToArray();
        await Task.WhenAll(sessions.Select(s => s.JoinAsync("big")));
        var payloads = Enumerable.Range(0, 4).Select(i =>
        {
            var bytes = new byte[1 << 20];
            new Random(i).NextBytes(bytes);
            return bytes;
        }).ToArray();
        var received = sessions.Select(s => Task.Run(async () =>
        {
            var got = new List<byte[]>();
            await foreach (var item in s.ReadAllAsync())
            {
                using (item)
                {
                    if (item.Kind == SessionEventKind.Message)
                    {
                        got.Add(item.Message.Payload.ToArray());
                        if (got.Count == payloads.Length * 2)
                        {
                            return got;
                        }
                    }
                }
            }

            return got;
        })).ToArray();

        foreach (var payload in payloads)
        {
            await sessions[0].MulticastAsync("big", payload, ServiceType.Safe);
            await sessions[2].MulticastAsync("big", payload, ServiceType.Agreed);
        }

        var results = await Task.WhenAll(received).WaitAsync(Timeout);
        foreach (var got in results)
        {
            Assert.Equal(payloads.Length * 2, got.Count);
            Assert.All(got, g => Assert.Contains(payloads, p => p.AsSpan().SequenceEqual(g)));
            Assert.Equal(results[0].Select(Convert.ToHexString), got.Select(Convert.ToHexString));
        }
    }

    [Fact]
    public async Task HundredThousandGroups_JoinAndSurviveANewMember_WithBoundedMemory()
    {
        const int groups = 100_000;
        await using var ring = await LoopbackRing.StartAsync(2, 0);
        long before = GC.GetTotalMemory(forceFullCollection: true);
        var session = ring.Nodes[0].OpenSession("many");
        var joins = new List<Task>(groups);
        for (int i = 0; i < groups; i++)
        {
            joins.Add(session.JoinAsync($"group-{i}"));
        }

        await Task.WhenAll(joins).WaitAsync(Timeout);
        int drained = 0;
        while (session.Events.TryRead(out var item))
        {
            item.Dispose();
            drained++;
        }

        Assert.Equal(groups, drained);
        await WaitUntil(() => ring.Nodes.All(n => n.GroupCount == groups), "every node knows every group");
        long after = GC.GetTotalMemory(forceFullCollection: true);
        long perGroup = (after - before) / groups / ring.Nodes.Length;

        // Both nodes hold the replicated state of every group; the README states this bound.
        output.WriteLine($"{groups:N0} groups of one member: {perGroup} bytes per group per node");
        Assert.InRange(perGroup, 0, 1_024);

        // A third node joining receives the whole state through the announcement exchange.
        var endPoint = SpreadNet.Testing.LoopbackPorts.Free(1)[0];
        var options = new RingOptions { ListenEndPoint = endPoint };
        options.Seeds.Add(ring.Nodes[0].LocalEndPoint);
        options.Seeds.Add(endPoint);
        await using var third = new RingNode(options);
        third.Start();
        await WaitUntil(() => third.GroupCount == groups, "the new node learns every group");
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {what}.");
            await Task.Delay(20);
        }
    }
}
