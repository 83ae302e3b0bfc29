using System.Diagnostics;
using SpreadNet.Ring;

namespace SpreadNet.Benchmarks;

/// <summary>
/// One sender per node submitting benchmark messages: either as fast as flow control allows
/// (<see cref="Saturating"/>) or at a fixed total rate (<see cref="Paced"/>). Every message
/// carries the time it was first offered to the node, so waiting on a full queue counts as latency.
/// </summary>
internal sealed class RingLoad : IDisposable
{
    private const int Stride = 16; // one cache line per sender's counter

    private readonly RingCluster _cluster;
    private readonly int _size;
    private readonly ServiceType _service;
    private readonly uint _stampEvery;
    private readonly long[] _submitted;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];

    private RingLoad(RingCluster cluster, int size, ServiceType service, int stampEvery = 1)
    {
        _stampEvery = (uint)stampEvery;
        _cluster = cluster;
        _size = size;
        _service = service;
        _submitted = new long[cluster.Nodes.Count * Stride];
    }

    /// <summary>As fast as flow control allows; one message in <paramref name="stampEvery"/> carries a timestamp.</summary>
    public static RingLoad Saturating(RingCluster cluster, int size, ServiceType service, SubmitMode mode, int stampEvery)
    {
        var load = new RingLoad(cluster, size, service, stampEvery);
        for (int i = 0; i < cluster.Nodes.Count; i++)
        {
            int node = i;
            load._senders.Add(mode == SubmitMode.Async
                ? Task.Run(() => load.SaturateAsync(node))
                : BenchThread.Start($"{ThreadCpu.SenderThreadPrefix}-{node + 1}", () => load.Saturate(node, mode)));
        }

        return load;
    }

    /// <summary><paramref name="rate"/> messages/s in total, spread evenly over the nodes and staggered in time.</summary>
    public static RingLoad Paced(RingCluster cluster, int size, ServiceType service, int rate)
    {
        var load = new RingLoad(cluster, size, service);
        int nodes = cluster.Nodes.Count;
        long interval = Stopwatch.Frequency * nodes / rate;
        long start = Stopwatch.GetTimestamp();
        for (int i = 0; i < nodes; i++)
        {
            int node = i;
            load._senders.Add(BenchThread.Start($"{ThreadCpu.SenderThreadPrefix}-{node + 1}", () => load.Pace(node, start + (interval * node / nodes), interval)));
        }

        return load;
    }

    public long[] SubmittedPerNode() => [.. Enumerable.Range(0, _cluster.Nodes.Count).Select(i => Volatile.Read(ref _submitted[i * Stride]))];

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
    }

    public void Dispose() => _stop.Dispose();

    private long Stamp(uint sequence) =>
        sequence % _stampEvery == 0 ? Stopwatch.GetTimestamp() : 0;

    private void Saturate(int node, SubmitMode mode)
    {
        var ring = _cluster.Nodes[node];
        var payload = new byte[_size];
        var token = _stop.Token;
        ref long submitted = ref _submitted[node * Stride];
        for (uint sequence = 1; !token.IsCancellationRequested; sequence++)
        {
            Payload.Write(payload, Stamp(sequence), sequence, node, Phase.Throughput);
            var spinner = default(SpinWait);
            while (!ring.TrySubmit(payload, _service))
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                if (mode == SubmitMode.Yield)
                {
                    Thread.Yield();
                }
                else
                {
                    spinner.SpinOnce();
                }
            }

            Volatile.Write(ref submitted, submitted + 1);
        }
    }

    private async Task SaturateAsync(int node)
    {
        var ring = _cluster.Nodes[node];
        var payload = new byte[_size];
        var token = _stop.Token;
        try
        {
            for (uint sequence = 1; !token.IsCancellationRequested; sequence++)
            {
                Payload.Write(payload, Stamp(sequence), sequence, node, Phase.Throughput);
                await ring.SubmitAsync(payload, _service, token);
                Volatile.Write(ref _submitted[node * Stride], _submitted[node * Stride] + 1);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for room.
        }
    }

    /// <summary>Sends one message every <paramref name="interval"/> ticks, up to 1 ms early rather than busy-waiting.</summary>
    private void Pace(int node, long due, long interval)
    {
        var ring = _cluster.Nodes[node];
        var payload = new byte[_size];
        var token = _stop.Token;
        long oneMillisecond = Stopwatch.Frequency / 1000;
        ref long submitted = ref _submitted[node * Stride];
        uint sequence = 0;
        while (!token.IsCancellationRequested)
        {
            long now = Stopwatch.GetTimestamp();
            if (now < due - oneMillisecond)
            {
                Thread.Sleep(1);
                continue;
            }

            Payload.Write(payload, now, ++sequence, node, Phase.Latency);
            var spinner = default(SpinWait);
            while (!ring.TrySubmit(payload, _service))
            {
                if (token.IsCancellationRequested)
                {
                    return;
                }

                spinner.SpinOnce();
            }

            Volatile.Write(ref submitted, submitted + 1);
            due = Math.Max(due + interval, now - (Stopwatch.Frequency / 10)); // after a stall, do not burst to catch up
        }
    }
}
