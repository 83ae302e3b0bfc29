namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// One queue's events as this silo received them from the ring, in ring order, with the queue's
/// latest delivered-up-to watermark. Events past the watermark are always kept; older ones while
/// within the retention limits. Thread-safe (the ring reader appends, the receiver reads).
/// </summary>
internal sealed class QueueBuffer(uint queue, SpreadStreamOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private int _head;
    private long _bytes;
    private RingPosition? _watermark;
    private TaskCompletionSource? _appended;

    public uint Queue { get; } = queue;

    /// <summary>The latest watermark multicast for the queue, if any.</summary>
    public RingPosition? Watermark
    {
        get
        {
            lock (_lock)
            {
                return _watermark;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count - _head;
            }
        }
    }

    /// <summary>The oldest position held, if any.</summary>
    public RingPosition? Oldest
    {
        get
        {
            lock (_lock)
            {
                return _head < _entries.Count ? _entries[_head].Position : null;
            }
        }
    }

    public void Append(RingPosition position, byte[] body)
    {
        TaskCompletionSource? appended;
        lock (_lock)
        {
            _entries.Add(new Entry(position, body, time.GetTimestamp()));
            _bytes += body.Length;
            Trim();
            appended = _appended;
            _appended = null;
        }

        appended?.TrySetResult();
    }

    /// <summary>
    /// Completes once the buffer holds an event after <paramref name="after"/> (all held when null):
    /// at once if it does already, else at the next <see cref="Append"/> or <see cref="Wake"/>.
    /// Its continuations may run on the appending thread (the ring reader's): the waiting receiver
    /// reads on at once instead of after a hop through the thread pool, and hands over to the
    /// pulling agent's own scheduler.
    /// </summary>
    public Task WhenEventAfter(RingPosition? after)
    {
        lock (_lock)
        {
            if ((after is null ? _head : FirstAfter(after.Value)) < _entries.Count)
            {
                return Task.CompletedTask;
            }

            _appended ??= new TaskCompletionSource();
            return _appended.Task;
        }
    }

    /// <summary>Completes every <see cref="WhenEventAfter"/> task handed out (a waiting receiver is shutting down).</summary>
    public void Wake()
    {
        TaskCompletionSource? appended;
        lock (_lock)
        {
            appended = _appended;
            _appended = null;
        }

        appended?.TrySetResult();
    }

    public void SetWatermark(RingPosition position)
    {
        lock (_lock)
        {
            if (_watermark is null || position > _watermark.Value)
            {
                _watermark = position;
                Trim();
            }
        }
    }

    /// <summary>Up to <paramref name="maxCount"/> events after <paramref name="after"/> (all held when null).</summary>
    public List<(RingPosition Position, byte[] Body)> ReadAfter(RingPosition? after, int maxCount)
    {
        var result = new List<(RingPosition, byte[])>();
        lock (_lock)
        {
            int i = after is null ? _head : FirstAfter(after.Value);
            for (; i < _entries.Count && result.Count < maxCount; i++)
            {
                result.Add((_entries[i].Position, _entries[i].Body));
            }
        }

        return result;
    }

    private int FirstAfter(RingPosition position)
    {
        int lo = _head, hi = _entries.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (_entries[mid].Position <= position)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private void Trim()
    {
        if (_watermark is not { } watermark)
        {
            return;
        }

        long now = time.GetTimestamp();
        while (_head < _entries.Count)
        {
            var oldest = _entries[_head];
            bool over = _entries.Count - _head > options.RetentionCount
                || _bytes > options.RetentionBytes
                || time.GetElapsedTime(oldest.Received, now) > options.RetentionAge;
            if (!over || oldest.Position > watermark)
            {
                break;
            }

            _bytes -= oldest.Body.Length;
            _entries[_head++] = default;
        }

        if (_head > 1024 && _head * 2 > _entries.Count)
        {
            _entries.RemoveRange(0, _head);
            _head = 0;
        }
    }

    private readonly record struct Entry(RingPosition Position, byte[] Body, long Received);
}
