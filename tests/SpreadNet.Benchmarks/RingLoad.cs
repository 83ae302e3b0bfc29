using System.Diagnostics;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Benchmarks;

/// <summary>
/// One sender per node submitting benchmark messages: either as fast as flow control allows
/// (<see cref="Saturating"/>) or at a fixed total rate (<see cref="Paced"/>). Every message
/// carries the time it was first offered to the node, so waiting on a full queue counts as latency.
/// With sessions, senders also hold off while too many messages are sent and not yet read at every
/// node: the ring never waits for readers, and a reader that fell too far behind would be evicted.
/// Saturation is then what the ring and the readers together sustain. On the raw path delivery
/// happens on the ring's thread, which flow control already paces.
/// </summary>
internal sealed class RingLoad : IDisposable
{
    private const int Stride = 16; // one cache line per sender's counter

    // Reading every sender's and reader's counter touches cache lines other threads write: once every
    // few messages is enough when the limit is tens of thousands.
    private const uint InFlightCheckEvery = 32;

    private readonly RingCluster _cluster;
    private readonly int _size;
    private readonly ServiceType _service;
    private readonly uint _stampEvery;
    private readonly int _inFlight;
    private readonly long _deliveredBefore;
    private readonly long[] _submitted;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];

    private RingLoad(RingCluster cluster, int size, ServiceType service, int inFlight, int stampEvery = 1)
    {
        // The previous phase has drained (every node delivered the same count): what is delivered
        // from now on at the slowest node is this load's.
        _deliveredBefore = cluster.MinDelivered();
        _stampEvery = (uint)stampEvery;
        _cluster = cluster;
        _size = size;
        _service = service;
        _inFlight = cluster.Sessions.Count == 0 ? int.MaxValue : inFlight;
        _submitted = new long[cluster.Nodes.Count * Stride];
    }

    /// <summary>As fast as flow control allows; one message in <paramref name="stampEvery"/> carries a timestamp.</summary>
    public static RingLoad Saturating(RingCluster cluster, int size, ServiceType service, SubmitMode mode, int stampEvery, int inFlight)
    {
        var load = new RingLoad(cluster, size, service, inFlight, stampEvery);
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
    public static RingLoad Paced(RingCluster cluster, int size, ServiceType service, int rate, int inFlight)
    {
        var load = new RingLoad(cluster, size, service, inFlight);
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

    /// <summary>Queues one message on <paramref name="node"/>: the node's raw API, or its session's multicast to the group.</summary>
    private bool TrySend(int node, ReadOnlySpan<byte> payload) =>
        _cluster.Sessions.Count == 0
            ? _cluster.Nodes[node].TrySubmit(payload, _service)
            : _cluster.Sessions[node].TryMulticast(RingCluster.Group, payload, _service);

    private ValueTask SendAsync(int node, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _cluster.Sessions.Count == 0
            ? _cluster.Nodes[node].SubmitAsync(payload, _service, cancellationToken)
            : _cluster.Sessions[node].MulticastAsync(RingCluster.Group, payload, _service, MulticastFlags.None, cancellationToken);

    /// <summary>Whether more than the limit is sent and not yet read at every node (checked every few messages, without allocating).</summary>
    private bool TooManyInFlight(uint sequence)
    {
        if (_inFlight == int.MaxValue || sequence % InFlightCheckEvery != 0)
        {
            return false;
        }

        long submitted = 0;
        for (int i = 0; i < _submitted.Length; i += Stride)
        {
            submitted += Volatile.Read(ref _submitted[i]);
        }

        return submitted - (_cluster.MinDelivered() - _deliveredBefore) > _inFlight;
    }

    private void Saturate(int node, SubmitMode mode)
    {
        var payload = new byte[_size];
        var token = _stop.Token;
        ref long submitted = ref _submitted[node * Stride];
        for (uint sequence = 1; !token.IsCancellationRequested; sequence++)
        {
            Payload.Write(payload, Stamp(sequence), sequence, node, Phase.Throughput);
            var spinner = default(SpinWait);
            while (TooManyInFlight(sequence) || !TrySend(node, payload))
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
        var payload = new byte[_size];
        var token = _stop.Token;
        try
        {
            for (uint sequence = 1; !token.IsCancellationRequested; sequence++)
            {
                Payload.Write(payload, Stamp(sequence), sequence, node, Phase.Throughput);
                while (TooManyInFlight(sequence))
                {
                    // No event to wait on for a reader catching up: poll about once a millisecond.
                    await Task.Delay(1, token);
                }

                await SendAsync(node, payload, token);
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
            while (TooManyInFlight(sequence) || !TrySend(node, payload))
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
