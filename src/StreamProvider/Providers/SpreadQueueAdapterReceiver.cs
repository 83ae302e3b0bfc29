using Microsoft.Extensions.Logging;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// Reads one queue from this silo's copy of the ring's events, after the last position it handed
/// out; starts right after the queue's latest watermark (what the previous owner had delivered).
/// Publishes, every watermark interval, the position it had handed out one interval earlier.
/// A read that finds nothing waits briefly for the ring's next delivery into the queue.
/// </summary>
internal sealed partial class SpreadQueueAdapterReceiver(QueueId queueId, SpreadStreamQueues queues, ILogger logger) : IQueueAdapterReceiver
{
    private readonly QueueBuffer _buffer = queues.Buffer(queueId);
    private readonly TimeSpan _maxWait = queues.Options.MaxReceiveWait;
    private readonly Lock _lock = new();
    private bool _closed;
    private RingPosition? _handedOut;
    private RingPosition? _previousTick;
    private RingPosition? _published;

    public uint Queue => queueId.GetNumericId();

    public Task Initialize(TimeSpan timeout) => Initialize(timeout, CancellationToken.None);

    public Task Initialize(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var watermark = _buffer.Watermark;
        lock (_lock)
        {
            _handedOut = watermark;
            _previousTick = watermark;
            _published = watermark;
        }

        LogReceiverStarted(logger, queues.Name, queueId, watermark);
        queues.Register(this);
        return Task.CompletedTask;
    }

    public Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount) => GetQueueMessagesAsync(maxCount, CancellationToken.None);

    /// <summary>
    /// The next events after the last position handed out. When there are none yet, waits up to
    /// <see cref="SpreadStreamOptions.MaxReceiveWait"/> for the ring to deliver one into the queue,
    /// so that the pulling agent (which reads until a read comes back empty, then waits for its
    /// timer) hands events on as they arrive instead of at its next poll. The wait is an await on
    /// the queue's buffer, no thread is held; <see cref="Shutdown(TimeSpan, CancellationToken)"/> ends it.
    /// </summary>
    public async Task<IList<IBatchContainer>> GetQueueMessagesAsync(int maxCount, CancellationToken cancellationToken)
    {
        var batches = Read(maxCount, out var after);
        if (batches.Count > 0 || _maxWait <= TimeSpan.Zero || Volatile.Read(ref _closed))
        {
            return batches;
        }

        var arrived = _buffer.WhenEventAfter(after);
        // Registered before this check: a Shutdown from here on completes the wait through Wake.
        if (!arrived.IsCompleted && !Volatile.Read(ref _closed))
        {
            await arrived.WaitAsync(_maxWait, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return Volatile.Read(ref _closed) ? batches : Read(maxCount, out _);
    }

    private List<IBatchContainer> Read(int maxCount, out RingPosition? after)
    {
        lock (_lock)
        {
            after = _handedOut;
        }

        var entries = _buffer.ReadAfter(after, maxCount <= 0 ? 256 : maxCount);
        var batches = new List<IBatchContainer>(entries.Count);
        if (entries.Count == 0)
        {
            return batches;
        }

        foreach (var (position, body) in entries)
        {
            var batch = queues.Serializer.Deserialize(body)
                ?? throw new InvalidOperationException($"Spread stream provider '{queues.Name}': an empty batch at {position}.");
            batch.Token = position.ToToken();
            batches.Add(batch);
        }

        lock (_lock)
        {
            _handedOut = entries[^1].Position;
        }

        return batches;
    }

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages) => Task.CompletedTask;

    public Task MessagesDeliveredAsync(IList<IBatchContainer> messages, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task Shutdown(TimeSpan timeout) => Shutdown(timeout, CancellationToken.None);

    public async Task Shutdown(TimeSpan timeout, CancellationToken cancellationToken)
    {
        // A read waiting for the ring returns now (empty): the agent has stopped pumping.
        Volatile.Write(ref _closed, true);
        _buffer.Wake();
        queues.Unregister(this);
        RingPosition? last;
        var cache = queues.Cache(Queue);
        lock (_lock)
        {
            // The agent has stopped: what it put in its cache and every cursor passed is delivered.
            // Not what this receiver handed out: a stopping agent drops a batch it read after it
            // began to stop, without caching it, and the next reader must read it again.
            last = Min(cache?.LastAdded, cache?.DeliveredUpTo(includeRecentlyDisposed: true));
            if (last is { } candidate && _published is { } published && candidate <= published)
            {
                last = null;
            }
        }

        if (last is { } position)
        {
            await queues.PublishWatermarkAsync(Queue, position).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The watermark to publish now, if it moved: what the agent had put in its cache one interval
    /// ago and has been delivered to every subscriber as far as the cache's cursors tell (the
    /// interval lets the agent give a new stream's batches a cursor).
    /// </summary>
    internal RingPosition? TakeWatermark()
    {
        var cache = queues.Cache(Queue);
        var delivered = cache?.DeliveredUpTo();
        var added = cache?.LastAdded;
        lock (_lock)
        {
            var candidate = Min(_previousTick, delivered);
            if (added is not null)
            {
                _previousTick = added;
            }
            if (candidate is null || candidate == _published || (_published is { } published && candidate.Value < published))
            {
                return null;
            }

            _published = candidate;
            return candidate;
        }
    }

    private static RingPosition? Min(RingPosition? position, RingPosition? limit) =>
        position is { } p && limit is { } l && l < p ? l : position;

    [LoggerMessage(EventId = (int)StreamProviderLogEvent.ReceiverStarted, Level = LogLevel.Debug, Message = "Spread stream provider '{Provider}': receiver for {Queue} starts after watermark {Watermark} (none: the oldest event held).")]
    private static partial void LogReceiverStarted(ILogger logger, string provider, QueueId queue, RingPosition? watermark);
}
