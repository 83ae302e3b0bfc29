using System.Diagnostics;
using Orleans.Runtime;
using SpreadNet.Interfaces;

namespace SpreadNet.Benchmarks.Groups;

/// <summary>Which part of a run a message belongs to: its latency is recorded per phase.</summary>
[GenerateSerializer]
public enum GroupsPhase
{
    /// <summary>Warm-up or after the window: counted, latency not recorded.</summary>
    Untimed = 0,

    /// <summary>The light fixed load.</summary>
    Latency = 1,

    /// <summary>Senders going flat out.</summary>
    Throughput = 2,
}

/// <summary>
/// What each member received (a count, and latency per phase: the sender's <see cref="Stopwatch"/>
/// stamp taken just before MulticastAsync to the member's OnGroupMessageAsync; the silos share the
/// benchmark process, so one clock), how many messages the senders issued, and when each member
/// saw the regular view that includes a newcomer. One instance is registered in every silo.
/// </summary>
public sealed class GroupsRecorder
{
    private readonly Member[] _members;
    private readonly long[] _joinSeenAt;
    private readonly int[] _lastViewSize;
    private long _issued;
    private GrainId? _joiner;

    public GroupsRecorder(int members)
    {
        _members = [.. Enumerable.Range(0, members).Select(_ => new Member())];
        _joinSeenAt = new long[members];
        _lastViewSize = new int[members];
        JoinedOn = new string?[members];
    }

    public int Members => _members.Length;

    /// <summary>The silo each member joined at (set by the member).</summary>
    public string?[] JoinedOn { get; }

    /// <summary>Messages the senders called MulticastAsync for, over the whole run.</summary>
    public long Issued => Interlocked.Read(ref _issued);

    public void CountIssued() => Interlocked.Increment(ref _issued);

    /// <summary>Messages issued and not yet delivered to the slowest member.</summary>
    public long InFlight => Issued - MinCount();

    public void Record(int member, GroupBenchMessage message)
    {
        long now = Stopwatch.GetTimestamp();
        var m = _members[member];
        if (message.Phase != GroupsPhase.Untimed)
        {
            // One pump calls each member at a time; the lock orders it with reads.
            lock (m)
            {
                m.Histograms[(int)message.Phase].RecordNanos((long)((now - message.SentAt) * (1e9 / Stopwatch.Frequency)));
            }
        }

        Interlocked.Increment(ref m.Count);
    }

    public long Count(int member) => Interlocked.Read(ref _members[member].Count);

    public long MinCount()
    {
        long min = long.MaxValue;
        for (int i = 0; i < _members.Length; i++)
        {
            min = Math.Min(min, Count(i));
        }

        return min;
    }

    /// <summary>Every member's latency of <paramref name="phase"/> in one histogram, then cleared (the next service type starts afresh).</summary>
    internal LatencyHistogram TakeLatency(GroupsPhase phase)
    {
        var merged = new LatencyHistogram();
        foreach (var m in _members)
        {
            lock (m)
            {
                merged.Add(m.Histograms[(int)phase]);
                m.Histograms[(int)phase].Clear();
            }
        }

        return merged;
    }

    /// <summary>From now on, notes when each member first sees a regular view with <paramref name="joiner"/>.</summary>
    public void ExpectJoin(GrainId joiner)
    {
        lock (_joinSeenAt)
        {
            Array.Clear(_joinSeenAt);
            _joiner = joiner;
        }
    }

    public void RecordView(int member, GroupViewInfo view)
    {
        long now = Stopwatch.GetTimestamp();
        if (view.Kind != GroupViewKind.Regular)
        {
            return;
        }

        Volatile.Write(ref _lastViewSize[member], view.Members.Count);
        lock (_joinSeenAt)
        {
            if (_joiner is { } joiner && _joinSeenAt[member] == 0 && view.Members.Any(m => m.Member == joiner))
            {
                _joinSeenAt[member] = now;
            }
        }
    }

    /// <summary>When the last member saw the expected joiner, or null while one has not.</summary>
    public long? AllSawJoinAt()
    {
        lock (_joinSeenAt)
        {
            return _joinSeenAt.Any(t => t == 0) ? null : _joinSeenAt.Max();
        }
    }

    /// <summary>Whether every member's last regular view has <paramref name="size"/> members.</summary>
    public bool AllSeeViewOf(int size) => Enumerable.Range(0, _lastViewSize.Length).All(i => Volatile.Read(ref _lastViewSize[i]) == size);

    private sealed class Member
    {
        public long Count;

        public readonly LatencyHistogram[] Histograms = [new(), new(), new()];
    }
}
