using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>Makes one <see cref="SpreadQueueCache"/> per queue.</summary>
internal sealed class SpreadQueueAdapterCache(int cacheSize, int deliveryBatchSize, SpreadStreamQueues? queues) : IQueueAdapterCache
{
    public IQueueCache CreateQueueCache(QueueId queueId)
    {
        var cache = new SpreadQueueCache(cacheSize, deliveryBatchSize);
        queues?.SetCache(queueId, cache);
        return cache;
    }
}

/// <summary>
/// The pulling agent's cache of one queue: batches in ring order, the newest
/// <c>CacheSize</c> kept even after every cursor has passed them, so that a subscription from an
/// older token that is still cached replays from there (Orleans' <c>SimpleQueueCache</c> drops
/// what every cursor has passed, which makes it rewindable only while a slower cursor holds the
/// items). A cursor never loses an item: while the slowest cursor is in the oldest part of a full
/// cache, the cache reports pressure and the agent stops reading the queue.
/// A cursor hands out consecutive cached batches of its stream merged into one
/// <see cref="SpreadMergedBatch"/> of up to <c>DeliveryBatchSize</c> events (one agent call per
/// merged batch instead of per batch).
/// Used by the queue's pulling agent only (one thread at a time); locks keep it safe regardless.
/// </summary>
internal sealed class SpreadQueueCache : IQueueCache
{
    private readonly Lock _lock = new();
    private readonly List<IBatchContainer> _items = [];
    private readonly HashSet<Cursor> _cursors = [];
    private readonly List<(long Pending, long When)> _recentDisposals = [];
    private readonly int _capacity;
    private readonly int _maxAdd;
    private readonly int _deliveryBatchSize;
    private long _base;
    private RingPosition? _lastAdded;

    public SpreadQueueCache(int capacity, int deliveryBatchSize = 1)
    {
        _capacity = capacity;
        _deliveryBatchSize = deliveryBatchSize;
        _maxAdd = Math.Max(1, capacity / 8);
    }

    private long End => _base + _items.Count;

    public int GetMaxAddCount() => _maxAdd;

    public void AddToCache(IList<IBatchContainer> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        lock (_lock)
        {
            _items.AddRange(messages);
            if (messages.Count > 0)
            {
                _lastAdded = Position(messages[^1]);
            }
        }
    }

    /// <summary>The newest batch the agent put in this cache (null before the first).</summary>
    public RingPosition? LastAdded
    {
        get
        {
            lock (_lock)
            {
                return _lastAdded;
            }
        }
    }

    public bool TryPurgeFromCache(out IList<IBatchContainer> purgedItems)
    {
        lock (_lock)
        {
            long keepFrom = Math.Min(End - (_capacity - _maxAdd), SlowestCursor());
            int purge = (int)Math.Clamp(keepFrom - _base, 0, _items.Count);
            if (purge == 0)
            {
                purgedItems = [];
                return false;
            }

            purgedItems = _items.GetRange(0, purge);
            _items.RemoveRange(0, purge);
            _base += purge;
            return true;
        }
    }

    public IQueueCacheCursor GetCacheCursor(StreamId streamId, StreamSequenceToken? token)
    {
        lock (_lock)
        {
            long start = token is null ? End : FirstAtOrAfter(token);
            var cursor = new Cursor(this, streamId, start, token is not null && _items.Count == 0 ? token : null, token is not null);
            _cursors.Add(cursor);
            return cursor;
        }
    }

    public bool IsUnderPressure()
    {
        lock (_lock)
        {
            return _items.Count + _maxAdd > _capacity && SlowestCursor() <= _base + _maxAdd;
        }
    }

    /// <summary>
    /// Everything at or before this position has been handed to every subscriber's delivery and
    /// acknowledged (a cursor's current batch may still be in flight); null when no cursor holds
    /// anything back.
    /// </summary>
    /// <param name="includeRecentlyDisposed">
    /// Also count cursors disposed in the last second with batches still pending: a stopping agent
    /// disposes its cursors before it shuts the receiver down, whatever they had in flight.
    /// </param>
    public RingPosition? DeliveredUpTo(bool includeRecentlyDisposed = false)
    {
        lock (_lock)
        {
            long slowest = long.MaxValue;
            foreach (var cursor in _cursors)
            {
                slowest = Math.Min(slowest, cursor.Pending);
            }

            if (includeRecentlyDisposed)
            {
                long now = TimeProvider.System.GetTimestamp();
                foreach (var (pending, when) in _recentDisposals)
                {
                    if (TimeProvider.System.GetElapsedTime(when, now) < TimeSpan.FromSeconds(1))
                    {
                        slowest = Math.Min(slowest, pending);
                    }
                }
            }

            if (slowest >= End)
            {
                return null;
            }

            var first = Position(_items[(int)(Math.Max(slowest, _base) - _base)]);
            return first.Index > 0 ? first with { Index = first.Index - 1 } : first with { Sequence = first.Sequence - 1, Index = int.MaxValue };
        }
    }

    private static RingPosition Position(IBatchContainer batch) => ((SpreadSequenceToken)batch.SequenceToken).Position;

    private long SlowestCursor()
    {
        long slowest = long.MaxValue;
        foreach (var cursor in _cursors)
        {
            slowest = Math.Min(slowest, cursor.Pending);
        }

        return slowest;
    }

    /// <summary>Index of the first cached batch at or after <paramref name="token"/>.</summary>
    /// <exception cref="QueueCacheMissException">The token is older than everything cached.</exception>
    private long FirstAtOrAfter(StreamSequenceToken token)
    {
        if (_items.Count == 0)
        {
            return End;
        }

        if (token.CompareTo(_items[0].SequenceToken) < 0 && _base > 0)
        {
            throw new QueueCacheMissException(token, _items[0].SequenceToken, _items[^1].SequenceToken);
        }

        int lo = 0, hi = _items.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (BatchStart(_items[mid].SequenceToken).CompareTo(BatchStart(token)) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return _base + lo;
    }

    private static StreamSequenceToken BatchStart(StreamSequenceToken token) =>
        token is SpreadSequenceToken spread && spread.EventIndex != 0 ? spread.ForEvent(0) : token;

    private sealed class Cursor(SpreadQueueCache cache, StreamId streamId, long next, StreamSequenceToken? pendingToken, bool fromToken) : IQueueCacheCursor
    {
        private IBatchContainer? _current;
        private long _currentIndex = -1;
        private StreamSequenceToken? _pendingToken = pendingToken;

        // The first batch of a cursor started from a token goes out alone: Orleans' agent skips the
        // batch at a consumer's delivered token, which must not take later batches with it.
        private bool _single = fromToken;

        /// <summary>Index of the first batch this cursor may not have delivered yet (its current one, possibly in flight; the first of a merged one).</summary>
        public long Pending => _current is null ? Next : _currentIndex;

        /// <summary>Index of the next batch to look at.</summary>
        public long Next { get; private set; } = next;

        public IBatchContainer? GetCurrent(out Exception? exception)
        {
            exception = null;
            return _current;
        }

        public bool MoveNext()
        {
            lock (cache._lock)
            {
                if (_pendingToken is not null && cache._items.Count > 0)
                {
                    // Subscribed with a token while the cache was empty: place it now (from the
                    // oldest cached batch if the token is older still).
                    try
                    {
                        Next = cache.FirstAtOrAfter(_pendingToken);
                    }
                    catch (QueueCacheMissException)
                    {
                        Next = cache._base;
                    }

                    _pendingToken = null;
                }

                Next = Math.Max(Next, cache._base);
                while (Next < cache.End)
                {
                    var batch = cache._items[(int)(Next - cache._base)];
                    Next++;
                    if (batch.StreamId.Equals(streamId))
                    {
                        _currentIndex = Next - 1;
                        _current = _single ? batch : MergeFollowing(batch);
                        _single = false;
                        return true;
                    }
                }

                _current = null;
                return false;
            }
        }

        /// <summary>
        /// <paramref name="first"/> and the batches of this stream cached right after it, up to the
        /// cache's delivery batch size in events (always <paramref name="first"/> whole); moves
        /// <see cref="Next"/> past what it took and past other streams' batches in between.
        /// </summary>
        private IBatchContainer MergeFollowing(IBatchContainer first)
        {
            int events = EventCount(first);
            List<IBatchContainer>? merged = null;
            long scan = Next;
            while (scan < cache.End && events < cache._deliveryBatchSize)
            {
                var batch = cache._items[(int)(scan - cache._base)];
                if (batch.StreamId.Equals(streamId))
                {
                    int count = EventCount(batch);
                    if (events + count > cache._deliveryBatchSize)
                    {
                        break;
                    }

                    (merged ??= [first]).Add(batch);
                    events += count;
                    Next = scan + 1;
                }

                scan++;
            }

            return merged is null ? first : new SpreadMergedBatch(merged);
        }

        private static int EventCount(IBatchContainer batch) => batch is SpreadBatchContainer spread ? spread.Events.Count : 1;

        public void Refresh(StreamSequenceToken token)
        {
        }

        public void RecordDeliveryFailure()
        {
        }

        public void Dispose()
        {
            lock (cache._lock)
            {
                if (cache._cursors.Remove(this) && Pending < cache.End)
                {
                    long now = TimeProvider.System.GetTimestamp();
                    cache._recentDisposals.RemoveAll(d => TimeProvider.System.GetElapsedTime(d.When, now) > TimeSpan.FromSeconds(1));
                    cache._recentDisposals.Add((Pending, now));
                }
            }
        }
    }
}
