using System.Diagnostics;
using SpreadNet.Ring;

namespace SpreadNet.Testing.SideBySide;

/// <summary>One ring's nodes on free 127.0.0.1 ports, each with its own delivery handler; disposing leaves gracefully.</summary>
internal sealed class LoopbackNodes<THandler> : IAsyncDisposable
    where THandler : IDeliveryHandler
{
    private LoopbackNodes(RingNode[] nodes, THandler[] handlers)
    {
        Nodes = nodes;
        Handlers = handlers;
    }

    public RingNode[] Nodes { get; }

    public THandler[] Handlers { get; }

    public long TokenLosses => Nodes.Sum(n => n.Counters.TokenLosses);

    /// <summary>Starts the nodes and waits until each one operates in a ring of exactly all of them.</summary>
    public static async Task<LoopbackNodes<THandler>> StartAsync(string name, RingPreset preset, THandler[] handlers, TimeSpan timeout)
    {
        var endPoints = LoopbackPorts.Free(handlers.Length);
        var nodes = new List<RingNode>();
        try
        {
            for (int i = 0; i < endPoints.Length; i++)
            {
                var options = new RingOptions { ListenEndPoint = endPoints[i], Name = name }.ApplyPreset(preset);
                foreach (var endPoint in endPoints)
                {
                    options.Seeds.Add(endPoint);
                }

                nodes.Add(new RingNode(options, handlers[i]));
            }

            var group = new LoopbackNodes<THandler>([.. nodes], handlers);
            nodes.ForEach(n => n.Start());
            await group.WaitForRingAsync(timeout);
            return group;
        }
        catch
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
        {
            await node.DisposeAsync();
        }
    }

    private async Task WaitForRingAsync(TimeSpan timeout)
    {
        var expected = Nodes.Select(n => n.Id).Order().ToArray();
        var watch = Stopwatch.StartNew();
        while (!Nodes.All(n => n.Configuration?.Members.SequenceEqual(expected) == true))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"The ring did not form within {timeout.TotalSeconds} s: {string.Join("; ", Nodes.Select(n => n.Configuration?.ToString() ?? "no ring"))}");
            }

            await Task.Delay(5);
        }
    }
}
