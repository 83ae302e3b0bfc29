namespace SpreadNet.Simulation;

/// <summary>
/// Future events ordered by (time, insertion order): events due at the same microsecond happen in
/// the order they were scheduled, so a run never depends on the heap's tie-breaking.
/// </summary>
public sealed class EventQueue
{
    private readonly PriorityQueue<SimEvent, Key> _queue = new(KeyComparer.Instance);
    private long _inserted;

    /// <summary>Events waiting.</summary>
    public int Count => _queue.Count;

    /// <summary>Schedules <paramref name="e"/> at <paramref name="time"/>.</summary>
    public void Schedule(long time, SimEvent e) => _queue.Enqueue(e, new Key(time, _inserted++));

    /// <summary>The due time of the next event, or <see cref="long.MaxValue"/> when none waits.</summary>
    public long NextTime => _queue.TryPeek(out _, out var key) ? key.Time : long.MaxValue;

    /// <summary>Takes the next event.</summary>
    public SimEvent Dequeue() => _queue.Dequeue();

    private readonly record struct Key(long Time, long Order);

    private sealed class KeyComparer : IComparer<Key>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(Key x, Key y) => x.Time != y.Time ? x.Time.CompareTo(y.Time) : x.Order.CompareTo(y.Order);
    }
}
