namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// One queue's events as this silo received them from the ring, in ring order, with the queue's
/// latest delivered-up-to watermark. Events past the watermark (pending) are always kept; older
/// ones while within the retention limits. Pending events are bounded too, by the producers: they
/// wait for room (<see cref="WaitForRoomAsync"/>) before multicasting, and the ring delivers the
/// same events and watermarks in the same order to every silo, so every silo's buffer of a queue
/// holds about as much as the producer's. Thread-safe (the ring reader appends and sets
/// watermarks, the receiver reads, producers wait).
/// </summary>
internal sealed class QueueBuffer(uint queue, SpreadStreamOptions options, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];
    private int _head;
    private long _bytes;
    private RingPosition? _watermark;
    private TaskCompletionSource? _appended;

    // Index of the first entry past the watermark, and the bytes from there to the end.
    private int _firstPending;
    private long _pendingBytes;
    private TaskCompletionSource? _room;
    private Exception? _closed;
    private int _waiting;

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

    /// <summary>Events held past the watermark (not yet delivered by the queue's reader).</summary>
    public int PendingCount
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count - _firstPending;
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
            // The ring orders an event after every watermark received before it: it is pending.
            _entries.Add(new Entry(position, body, time.GetTimestamp()));
            _bytes += body.Length;
            _pendingBytes += body.Length;
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
        TaskCompletionSource? room = null;
        lock (_lock)
        {
            if (_watermark is null || position > _watermark.Value)
            {
                _watermark = position;
                while (_firstPending < _entries.Count && _entries[_firstPending].Position <= position)
                {
                    _pendingBytes -= _entries[_firstPending++].Body.Length;
                }

                Trim();
                if (HasRoom())
                {
                    (room, _room) = (_room, null);
                }
            }
        }

        room?.TrySetResult();
    }

    /// <summary>
    /// Completes when the queue has room for one more pending event: fewer than
    /// <see cref="SpreadStreamOptions.RetentionCount"/> events and
    /// <see cref="SpreadStreamOptions.RetentionBytes"/> bytes past the watermark. Producers that
    /// wait together all go when the watermark moves, so the bound may be passed by as many
    /// events as there were producers waiting.
    /// </summary>
    /// <exception cref="InvalidOperationException">The provider stopped on this silo (<see cref="Close"/>).</exception>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_lock)
            {
                if (_closed is not null)
                {
                    throw _closed;
                }

                if (HasRoom())
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }

            Interlocked.Increment(ref _waiting);
            try
            {
                await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }
    }

    /// <summary>Producers waiting for room now.</summary>
    public int WaitingProducers => Volatile.Read(ref _waiting);

    /// <summary>Fails the producers waiting for room, now and later, with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        TaskCompletionSource? room;
        lock (_lock)
        {
            _closed = reason;
            (room, _room) = (_room, null);
        }

        room?.TrySetException(reason);
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
            _firstPending -= _head;
            _head = 0;
        }
    }

    private bool HasRoom() => _entries.Count - _firstPending < options.RetentionCount && _pendingBytes < options.RetentionBytes;

    private readonly record struct Entry(RingPosition Position, byte[] Body, long Received);
}
