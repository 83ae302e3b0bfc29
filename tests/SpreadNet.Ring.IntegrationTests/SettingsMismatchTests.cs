using System.Net;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Nodes whose ring settings differ refuse each other and both say so, naming the peer and the setting.</summary>
public sealed class SettingsMismatchTests
{
    [Fact]
    public async Task TwoNodes_DifferentTokenLossTimeout_NeverMergeAndBothReportThePeerTheSettingAndTheFix()
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(2);
        var events = new[] { new List<RingEvent>(), new List<RingEvent>() };
        var nodes = new RingNode[2];
        for (int i = 0; i < 2; i++)
        {
            var options = new RingOptions { ListenEndPoint = endPoints[i] };
            options.Seeds.Add(endPoints[1 - i]);
            if (i == 1)
            {
                options.TokenLossTimeout = TimeSpan.FromMilliseconds(800);
            }

            nodes[i] = new RingNode(options);
            int index = i;
            nodes[i].EventRaised += e =>
            {
                lock (events[index])
                {
                    events[index].Add(e);
                }
            };
        }

        try
        {
            foreach (var node in nodes)
            {
                node.Start();
            }

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (!events.All(list => Mismatches(list).Count > 0) && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            for (int i = 0; i < 2; i++)
            {
                var reported = Mismatches(events[i]);
                var single = Assert.Single(reported);
                Assert.Equal(nodes[1 - i].Id, single.Peer);
                Assert.Equal("TokenLossTimeout", single.Difference!.Setting);
                Assert.Contains(endPoints[1 - i].ToString(), single.Message, StringComparison.Ordinal);
                Assert.Contains("set TokenLossTimeout to the same value on every node", single.Message, StringComparison.Ordinal);
                Assert.Equal(i == 0 ? "1000 ms" : "800 ms", single.Difference.Mine);
            }

            // Reported once per peer, and never merged.
            await Task.Delay(1500);
            Assert.All(nodes, n => Assert.Equal(1, n.Configuration?.Members.Count));
            Assert.All(events, list => Assert.Single(Mismatches(list)));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static List<RingEvent> Mismatches(List<RingEvent> events)
    {
        lock (events)
        {
            return [.. events.Where(e => e.Kind == RingEventKind.SettingsMismatch)];
        }
    }
}
