using System.Net;
using SpreadNet.Ring;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Rings that formed apart and then hear each other merge into one.</summary>
public sealed class MergeTests
{
    [Fact]
    public async Task OperationalRings_HearEachOther_MergeIntoOne()
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(3);
        var events = new List<string>();
        var nodes = new List<RingNode>();
        try
        {
            // The lone node knows the first of the pair; the pair knows only each other.
            nodes.Add(Node(endPoints[2], [endPoints[0]], events));
            nodes[0].Start();
            await LoopbackRing.WaitForMembersAsync([nodes[0]], TimeSpan.FromSeconds(10));

            nodes.Add(Node(endPoints[0], [endPoints[1]], events));
            nodes.Add(Node(endPoints[1], [endPoints[0]], events));
            nodes[1].Start();
            nodes[2].Start();
            using var load = new CancellationTokenSource();
            var senders = nodes.Select((n, i) => Task.Run(async () =>
            {
                for (int counter = 0; !load.IsCancellationRequested; counter++)
                {
                    n.TrySubmit(DeliveryRecorder.Payload(i, counter, ServiceType.Agreed, 32));
                    await Task.Delay(5);
                }
            })).ToArray();

            // The lone ring's merge detection reaches the pair: one ring of three.
            try
            {
                await LoopbackRing.WaitForMembersAsync(nodes, TimeSpan.FromSeconds(10));
                await load.CancelAsync();
                await Task.WhenAll(senders);
            }
            catch (Xunit.Sdk.XunitException ex)
            {
                string history;
                lock (events)
                {
                    history = string.Join("\n", events.TakeLast(40));
                }

                throw new InvalidOperationException($"{ex.Message}\n{history}", ex);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task UpdatePeers_NodesStartedWithoutSeeds_MergeIntoOneRing()
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(3);
        var events = new List<string>();
        var nodes = endPoints.Select(e => Node(e, [], events, RingPreset.Lan)).ToList();
        try
        {
            nodes.ForEach(n => n.Start());
            await LoopbackRing.WaitForMembersAsync([nodes[0]], TimeSpan.FromSeconds(10));
            await LoopbackRing.WaitForMembersAsync([nodes[1]], TimeSpan.FromSeconds(10));
            await LoopbackRing.WaitForMembersAsync([nodes[2]], TimeSpan.FromSeconds(10));

            // Alone, each knows nobody to announce its ring to. Told the peers, as a silo is from
            // cluster membership (itself included), they merge.
            nodes.ForEach(n => n.UpdatePeers(endPoints));
            await LoopbackRing.WaitForMembersAsync(nodes, TimeSpan.FromSeconds(10));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static RingNode Node(IPEndPoint self, IPEndPoint[] seeds, List<string> events, RingPreset preset = RingPreset.Vital)
    {
        var options = new RingOptions { ListenEndPoint = self }.ApplyPreset(preset);
        foreach (var seed in seeds)
        {
            options.Seeds.Add(seed);
        }

        var node = new RingNode(options, new DeliveryRecorder(1_000_000));
        node.EventRaised += e =>
        {
            lock (events)
            {
                events.Add($"{self}: {e.Message}");
            }
        };
        return node;
    }
}
