using System.Buffers.Binary;
using System.Diagnostics;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Samples.TwoRings;

/// <summary>
/// Heartbeats on the vital ring: one session per silo in group "heartbeat"; the first silo's
/// session multicasts its clock every few milliseconds and the others record how long each took
/// (one process, one clock).
/// </summary>
internal sealed class Heartbeat : IAsyncDisposable
{
    private const string Group = "heartbeat";

    private readonly List<RingSession> _sessions = [];
    private readonly List<Task> _readers = [];
    private readonly Lock _lock = new();
    private List<double> _latencies = [];
    private int _received;

    public int Received => Volatile.Read(ref _received);

    public static async Task<Heartbeat> StartAsync(IReadOnlyList<RingNode> nodes)
    {
        var heartbeat = new Heartbeat();
        foreach (var node in nodes)
        {
            var session = node.OpenSession("heartbeat");
            await session.JoinAsync(Group);
            heartbeat._sessions.Add(session);
        }

        foreach (var session in heartbeat._sessions.Skip(1))
        {
            heartbeat._readers.Add(heartbeat.ReadAsync(session));
        }

        return heartbeat;
    }

    /// <summary>Sends a beat every <paramref name="period"/> for <paramref name="duration"/>; returns the beats sent.</summary>
    public async Task<int> BeatAsync(TimeSpan period, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        var payload = new byte[8];
        int sent = 0;
        using var timer = new PeriodicTimer(period);
        while (clock.Elapsed < duration && await timer.WaitForNextTickAsync())
        {
            BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
            await _sessions[0].MulticastAsync(Group, payload, ServiceType.Agreed, MulticastFlags.SelfDiscard);
            sent++;
        }

        return sent;
    }

    /// <summary>The latencies (ms) recorded since the last call.</summary>
    public List<double> TakeLatencies()
    {
        lock (_lock)
        {
            var taken = _latencies;
            _latencies = [];
            return taken;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        await Task.WhenAll(_readers);
    }

    private async Task ReadAsync(RingSession session)
    {
        await foreach (var item in session.ReadAllAsync())
        {
            using (item)
            {
                if (item.Kind == SessionEventKind.Message)
                {
                    double ms = Stopwatch.GetElapsedTime(BinaryPrimitives.ReadInt64LittleEndian(item.Message.Payload.Span)).TotalMilliseconds;
                    lock (_lock)
                    {
                        _latencies.Add(ms);
                    }

                    Interlocked.Increment(ref _received);
                }
            }
        }
    }
}
