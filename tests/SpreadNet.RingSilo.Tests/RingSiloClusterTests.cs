using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Orleans.Hosting;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Totem;
using SpreadNet.RingSilo.Hosting;

namespace SpreadNet.RingSilo.Tests;

/// <summary>
/// Rings hosted by the silos of in-process Orleans clusters: peers come from cluster membership and
/// silo metadata only. One cluster at a time (xunit.runner.json), everything on 127.0.0.1.
/// </summary>
public sealed class RingSiloClusterTests(ITestOutputHelper output)
{
    [Fact]
    public async Task ThreeSilos_NoSeedsConfigured_FormOneRingAndAGroupMulticastReachesEverySilo()
    {
        await using var cluster = await RingCluster.StartAsync(3, (_, silo) => silo.AddSpreadRing("main"));
        var rings = cluster.Rings("main");

        await RingCluster.WaitForOneRingAsync(rings, "main");

        // Default endpoint: the silo's advertised address, silo port + 1000 for the first ring.
        foreach (var silo in cluster.Cluster.Silos)
        {
            var endPoint = RingCluster.Ring(silo, "main").LocalEndPoint;
            Assert.Equal(silo.SiloAddress.Endpoint.Address, endPoint.Address);
            Assert.Equal(silo.SiloAddress.Endpoint.Port + SpreadRingOptions.DefaultPortOffset, endPoint.Port);
        }

        var sessions = rings.Select((r, i) => r.OpenSession($"member{i}")).ToArray();
        try
        {
            await Task.WhenAll(sessions.Select(s => s.JoinAsync("chat")));
            await Task.WhenAll(sessions.Select(s => ReadUntilAsync(s, e => e.Kind == SessionEventKind.View && e.View!.Members.Count == 3, "a view of 3 members")));

            await sessions[1].MulticastAsync("chat", Encoding.UTF8.GetBytes("hello from silo 1"));

            await Task.WhenAll(sessions.Select(s => ReadUntilAsync(
                s,
                e => e.Kind == SessionEventKind.Message && Encoding.UTF8.GetString(e.Message.Payload.Span) == "hello from silo 1",
                "the multicast")));
        }
        finally
        {
            foreach (var session in sessions)
            {
                await session.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TwoRingsPerSilo_VitalAndBulk_FormIndependentlyWithTheirOwnPortsAndSettings()
    {
        await using var cluster = await RingCluster.StartAsync(2, (_, silo) => silo
            .AddSpreadRing("vital", o => o.Preset = RingPreset.Vital)
            .AddSpreadRing("bulk", o => o.Port = 0));
        var vital = cluster.Rings("vital");
        var bulk = cluster.Rings("bulk");

        await RingCluster.WaitForOneRingAsync(vital, "vital");
        await RingCluster.WaitForOneRingAsync(bulk, "bulk");

        Assert.NotEqual(vital[0].Configuration!.Ring, bulk[0].Configuration!.Ring);
        Assert.Empty(vital.Select(n => n.LocalEndPoint).Intersect(bulk.Select(n => n.LocalEndPoint)));
        foreach (var silo in cluster.Cluster.Silos)
        {
            var local = silo.SiloHost.Services.GetRequiredService<LocalRings>();
            Assert.Equal(100_000, local.Get("vital").Advertisement.Settings.TokenLossMicros);
            Assert.Equal(1_000_000, local.Get("bulk").Advertisement.Settings.TokenLossMicros);
        }
    }

    [Fact]
    public async Task SiloAddedLater_JoinsTheRing_SiloStopped_LeavesItGracefully()
    {
        await using var cluster = await RingCluster.StartAsync(2, (_, silo) => silo.AddSpreadRing("main"));
        var first = cluster.Rings("main");
        await RingCluster.WaitForOneRingAsync(first, "two silos");

        var added = await cluster.Cluster.StartAdditionalSiloAsync();
        var addedRing = RingCluster.Ring(added, "main");
        await RingCluster.WaitForOneRingAsync([.. first, addedRing], "after a silo was added");

        var left = new List<RingEvent>();
        foreach (var node in first)
        {
            node.EventRaised += e =>
            {
                lock (left)
                {
                    left.Add(e);
                }
            };
        }

        var leaver = addedRing.Id;
        await cluster.Cluster.StopSiloAsync(added);

        // A leave, not a token loss: the survivors reform at once and say why.
        await RingCluster.WaitForOneRingAsync(first, "after a silo stopped");
        lock (left)
        {
            Assert.Contains(left, e => e.Kind == RingEventKind.MemberLeft && e.Peer == leaver);
            Assert.DoesNotContain(left, e => e.Kind == RingEventKind.TokenLost);
        }
    }

    [Fact]
    public async Task SiloWithADifferentRingSetting_FailsToStart_NamingBothSilosTheRingAndTheSetting()
    {
        await using var cluster = await RingCluster.StartAsync(2, (siloName, silo) =>
            silo.AddSpreadRing("main", o => o.MaxDatagramSize = siloName == "Silo_2" ? 1400 : 65_000));
        var rings = cluster.Rings("main");
        await RingCluster.WaitForOneRingAsync(rings, "two silos");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => cluster.Cluster.StartAdditionalSiloAsync());

        var message = Flatten(failure);
        output.WriteLine(message);
        Assert.Contains("Silo Silo_2 (", message, StringComparison.Ordinal);
        Assert.True(message.Contains("active silo Silo_0 (", StringComparison.Ordinal) || message.Contains("active silo Silo_1 (", StringComparison.Ordinal), message);
        Assert.Contains("Spread ring 'main'", message, StringComparison.Ordinal);
        Assert.Contains("MaxDatagramSize is 1400", message, StringComparison.Ordinal);
        Assert.Contains("has 65000", message, StringComparison.Ordinal);
        Assert.Contains("Fix: set MaxDatagramSize to the same value on every node", message, StringComparison.Ordinal);

        // Refused before its ring sent anything: the others' ring is untouched.
        Assert.Equal(2, cluster.Cluster.Silos.Count);
        Assert.True(RingCluster.FormOneRing(rings));
    }

    [Fact]
    public async Task SilosStartingTogetherWithDifferentRingSettings_RingRefusesThePeer_LogNamesTheOtherSilo()
    {
        // Neither silo is active when the other checks at start: the ring's own settings check
        // refuses the peer, and the silo names it.
        var logs = new LogCapture();
        var barrier = new RingStartBarrier(2);
        await using var cluster = await RingCluster.StartAsync(2, (siloName, silo) =>
        {
            silo.Services.AddSingleton<ILoggerProvider>(logs);
            silo.Services.AddSingleton(barrier.ForSilo());
            silo.AddSpreadRing("main", o => o.WindowSize = siloName == "Silo_1" ? 32 : 64);
        });

        // Each side reports the other, by silo name, once it knows which silo listens there.
        string[] Mismatches() => [.. logs.Lines.Where(l => l.Id.Id == 1104).Select(l => l.Text)];
        await RingCluster.WaitUntilAsync(
            () => Mismatches().Count(l => l.Contains("silo Silo_1 (", StringComparison.Ordinal) && l.Contains("silo Silo_0 (", StringComparison.Ordinal)) == 2,
            "a settings mismatch log line on each silo naming both silos",
            () => string.Join("\n", logs.Lines.Where(l => l.Level >= LogLevel.Warning).Select(l => l.Text)));
        foreach (var line in Mismatches())
        {
            output.WriteLine(line);
            Assert.Contains("Spread ring main: silo Silo_", line, StringComparison.Ordinal);
            Assert.Contains("WindowSize = ", line, StringComparison.Ordinal);
        }

        foreach (var ring in cluster.Rings("main"))
        {
            await RingCluster.WaitForOneRingAsync([ring], "each silo in a ring of its own");
        }
    }

    [Fact]
    public async Task InvalidRingOptions_SiloFailsToStart_NamingTheRingTheSettingAndTheFix()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => RingCluster.StartAsync(1, (_, silo) =>
            silo.AddSpreadRing("orders", o => o.MaxPacketsPerVisit = 100)));

        var message = Flatten(failure);
        output.WriteLine(message);
        Assert.Contains("Spread ring 'orders'", message, StringComparison.Ordinal);
        Assert.Contains("MaxPacketsPerVisit is 100", message, StringComparison.Ordinal);
        Assert.Contains("use a value from 1 to WindowSize (64)", message, StringComparison.Ordinal);
    }

    private static async Task ReadUntilAsync(RingSession session, Func<SessionEvent, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(RingCluster.Timeout);
        try
        {
            while (true)
            {
                using var e = await session.Events.ReadAsync(timeout.Token);
                if (condition(e))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Session {session.Name} did not receive {what} within {RingCluster.Timeout.TotalSeconds} s.");
        }
    }

    private static string Flatten(Exception exception)
    {
        var messages = new List<string>();
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            messages.Add($"{current.GetType().Name}: {current.Message}");
            if (current is AggregateException aggregate)
            {
                aggregate.InnerExceptions.ToList().ForEach(pending.Push);
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return string.Join("\n", messages);
    }
}
