using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Benchmarks;

/// <summary>
/// N ring nodes on free 127.0.0.1 ports in this process, each with its <see cref="DeliveryProbe"/>;
/// after <see cref="OpenSessionsAsync"/>, one session per node in one group, each with a
/// <see cref="SessionReader"/> feeding the probe.
/// </summary>
internal sealed class RingCluster : IAsyncDisposable
{
    public const string Group = "bench";

    private static readonly TimeSpan ReaderStopTimeout = TimeSpan.FromSeconds(15);

    private readonly List<RingNode> _nodes = [];
    private readonly List<DeliveryProbe> _probes = [];
    private readonly List<RingSession> _sessions = [];
    private readonly List<Task> _readers = [];
    private readonly ReaderGate _gate = new();

    private RingCluster()
    {
    }

    public IReadOnlyList<RingNode> Nodes => _nodes;

    public IReadOnlyList<DeliveryProbe> Probes => _probes;

    /// <summary>One per node once <see cref="OpenSessionsAsync"/> ran; empty on the raw path.</summary>
    public IReadOnlyList<RingSession> Sessions => _sessions;

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

    /// <summary>
    /// Opens a session on every node, joins them all to <see cref="Group"/> and starts their readers.
    /// Once every join completed at its node, every join is ordered before anything sent afterwards,
    /// so every session receives every later message.
    /// </summary>
    public async Task OpenSessionsAsync(TimeSpan timeout)
    {
        for (int i = 0; i < _nodes.Count; i++)
        {
            var session = _nodes[i].OpenSession($"bench{i + 1}", new RingSessionOptions());
            _sessions.Add(session);
            var probe = _probes[i];
            _readers.Add(Task.Run(() => SessionReader.RunAsync(session, probe, _gate)));
        }

        using var cancel = new CancellationTokenSource(timeout);
        await Task.WhenAll(_sessions.Select(s => s.JoinAsync(Group, cancel.Token)));
    }

    /// <summary>
    /// Holds the readers back, while a load runs, until every session has <paramref name="events"/>
    /// queued, then lets them catch up; twice. Queues grow by doubling segments and use the newest
    /// one as a ring: the first pass spreads the backlog over segments up to half its size, the
    /// second overflows that one into a segment larger than the backlog. Session queues, the node's
    /// free lists of payload leases and buffers, and the buffers a lagging reader's copies go to thus
    /// reach what <paramref name="events"/> queued messages need, which, with senders that keep at
    /// most that many in flight, is the most they can need: growth is over before the measured
    /// window, which then shows what is allocated per message.
    /// </summary>
    /// <returns>Whether both passes completed within <paramref name="timeout"/>.</returns>
    public async Task<bool> PrimeAsync(int events, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        for (int pass = 0; pass < 2; pass++)
        {
            _gate.Pause();
            try
            {
                while (!AllQueued(events))
                {
                    if (watch.Elapsed > timeout)
                    {
                        return false;
                    }

                    await Task.Delay(10);
                }
            }
            finally
            {
                _gate.Resume();
            }

            // Caught up past the older segments: the next pass fills the newest one.
            while (MaxBacklog() > events / 4)
            {
                if (watch.Elapsed > timeout)
                {
                    return false;
                }

                await Task.Delay(10);
            }
        }

        return true;
    }

    /// <summary>
    /// Whether every session has queued <paramref name="events"/> beyond what the slowest reader had
    /// read: readers paused a few thousand events apart, and senders count what is in flight from the
    /// slowest one.
    /// </summary>
    private bool AllQueued(int events)
    {
        long slowest = MinDelivered();
        for (int i = 0; i < _sessions.Count; i++)
        {
            if (_sessions[i].QueuedEvents + (_probes[i].Delivered - slowest) < events)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Events waiting in the fullest session's queue (0 on the raw path).</summary>
    public int MaxBacklog()
    {
        int max = 0;
        foreach (var session in _sessions)
        {
            max = Math.Max(max, session.QueuedEvents);
        }

        return max;
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
    public long MinDelivered()
    {
        // A loop, not LINQ: senders call this while measuring allocation, and Min over a list boxes its enumerator.
        long min = long.MaxValue;
        foreach (var probe in _probes)
        {
            min = Math.Min(min, probe.Delivered);
        }

        return min;
    }

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
        await StopReadersAsync();
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    /// <summary>
    /// Ends the readers with a message without payload, ordered after everything sent before, so
    /// that they have returned before the nodes dispose the sessions (and drain what is unread).
    /// </summary>
    private async Task StopReadersAsync()
    {
        if (_readers.Count == 0)
        {
            return;
        }

        try
        {
            using var cancel = new CancellationTokenSource(ReaderStopTimeout);
            await _sessions[0].MulticastAsync(Group, ReadOnlyMemory<byte>.Empty, ServiceType.Agreed, MulticastFlags.None, cancel.Token);
            await Task.WhenAll(_readers).WaitAsync(ReaderStopTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // A node that stopped or a session that was evicted: its reader ended with the session,
            // and disposing the nodes ends the others.
            Console.Error.WriteLine($"Session readers did not stop cleanly: {ex.Message}");
        }
    }
}
