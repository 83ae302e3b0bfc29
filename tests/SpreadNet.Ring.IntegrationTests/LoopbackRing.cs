using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>A ring of nodes on 127.0.0.1, each recording what it delivers; disposes every node.</summary>
internal sealed class LoopbackRing : IAsyncDisposable
{
    private LoopbackRing(RingNode[] nodes, DeliveryRecorder[] recorders)
    {
        Nodes = nodes;
        Recorders = recorders;
    }

    public RingNode[] Nodes { get; }

    public DeliveryRecorder[] Recorders { get; }

    /// <summary>Starts the nodes and waits until every one of them is in one ring with all the others.</summary>
    public static async Task<LoopbackRing> StartAsync(int nodeCount, int expectedMessages, Action<RingOptions>? configure = null)
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(nodeCount);
        var nodes = new RingNode[nodeCount];
        var recorders = new DeliveryRecorder[nodeCount];
        for (int i = 0; i < nodeCount; i++)
        {
            var options = new RingOptions { ListenEndPoint = endPoints[i] };
            foreach (var endPoint in endPoints)
            {
                options.Seeds.Add(endPoint);
            }

            configure?.Invoke(options);
            recorders[i] = new DeliveryRecorder(expectedMessages);
            nodes[i] = new RingNode(options, recorders[i]);
        }

        foreach (var node in nodes)
        {
            node.Start();
        }

        var ring = new LoopbackRing(nodes, recorders);
        await WaitForMembersAsync(nodes, TimeSpan.FromSeconds(30));
        return ring;
    }

    /// <summary>Waits until each of <paramref name="nodes"/> operates in a ring of exactly those nodes.</summary>
    public static async Task WaitForMembersAsync(IReadOnlyCollection<RingNode> nodes, TimeSpan timeout)
    {
        var expected = nodes.Select(n => n.Id).Order().ToArray();
        var deadline = DateTime.UtcNow + timeout;
        while (!nodes.All(n => n.Configuration?.Members.SequenceEqual(expected) == true))
        {
            Assert.True(
                DateTime.UtcNow < deadline,
                $"Timed out waiting for a ring of {expected.Length}: {string.Join("; ", nodes.Select(n => n.Configuration?.ToString() ?? "no ring"))}.");
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until every node delivered <paramref name="count"/> messages, failing on timeout or a node fault.</summary>
    public async Task WaitForDeliveriesAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Recorders.Any(r => r.Count < count))
        {
            foreach (var node in Nodes)
            {
                if (node.Completion.IsFaulted)
                {
                    await node.Completion;
                }
            }

            Assert.True(
                DateTime.UtcNow < deadline,
                $"Timed out: deliveries per node {string.Join(", ", Recorders.Select(r => r.Count))} of {count}.");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }
}
