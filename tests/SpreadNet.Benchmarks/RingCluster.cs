using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring;

namespace SpreadNet.Benchmarks;

/// <summary>N ring nodes on free 127.0.0.1 ports in this process, each with its <see cref="DeliveryProbe"/>.</summary>
internal sealed class RingCluster : IAsyncDisposable
{
    private readonly List<RingNode> _nodes = [];
    private readonly List<DeliveryProbe> _probes = [];

    private RingCluster()
    {
    }

    public IReadOnlyList<RingNode> Nodes => _nodes;

    public IReadOnlyList<DeliveryProbe> Probes => _probes;

    public int DatagramSize { get; private set; }

    public RingOptions Options { get; private set; } = new();

    public static async Task<RingCluster> StartAsync(BenchSettings settings)
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(settings.Nodes);
        var cluster = new RingCluster();
        try
        {
            for (int i = 0; i < endPoints.Length; i++)
            {
                var options = settings.RingOptionsFor(endPoints[i], endPoints);
                var probe = new DeliveryProbe(i);
                cluster._probes.Add(probe);
                cluster._nodes.Add(new RingNode(options, probe));
                cluster.Options = options;
                cluster.DatagramSize = options.MaxDatagramSize;
            }

            cluster._nodes.ForEach(n => n.Start());
            await cluster.WaitForMembersAsync(cluster._nodes, TimeSpan.FromSeconds(30));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until each of <paramref name="nodes"/> is in a regular configuration of exactly those nodes.</summary>
    public async Task WaitForMembersAsync(IReadOnlyCollection<RingNode> nodes, TimeSpan timeout)
    {
        var expected = nodes.Select(n => n.Id).Order().ToArray();
        var watch = Stopwatch.StartNew();
        while (!nodes.All(n => n.Configuration?.Members.SequenceEqual(expected) == true))
        {
            if (watch.Elapsed > timeout)
            {
                throw new TimeoutException($"The ring did not form within {timeout.TotalSeconds} s: {string.Join("; ", nodes.Select(n => n.Configuration?.ToString() ?? "no ring"))}");
            }

            await Task.Delay(1);
        }
    }

    /// <summary>Messages delivered at every node.</summary>
    public long MinDelivered() => _probes.Min(p => p.Delivered);

    /// <summary>Waits until every node has delivered the same number of messages and nothing moves; false on timeout.</summary>
    public async Task<bool> WaitForQuiescenceAsync(TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        long previous = -1;
        while (watch.Elapsed < timeout)
        {
            long min = MinDelivered();
            long max = _probes.Max(p => p.Delivered);
            if (min == max && min == previous)
            {
                return true;
            }

            previous = min == max ? min : -1;
            await Task.Delay(100);
        }

        return false;
    }

    public bool OrdersAgree() => _probes.All(p => p.OrderHash == _probes[0].OrderHash);

    public LatencyHistogram MergedHistogram(Phase phase)
    {
        var merged = new LatencyHistogram();
        foreach (var probe in _probes)
        {
            merged.Add(probe.Histogram(phase));
        }

        return merged;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
