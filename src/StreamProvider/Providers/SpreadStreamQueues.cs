using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Streams;
using SpreadNet.Ring.Groups;
using SpreadNet.RingSilo;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// One stream provider's presence on one silo: a ring session in the provider's group, the
/// per-queue buffers every delivered event goes to, the producers waiting for their events to be
/// ordered, and the watermarks of the queues this silo owns. Opens after the ring starts and before
/// the pulling agents; closes after they stop.
/// </summary>
internal sealed partial class SpreadStreamQueues : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    /// <summary>After the ring starts, before application services (pulling agents).</summary>
    public const int LifecycleStage = SpreadRing.LifecycleStage + 10;

    private readonly string _name;
    private readonly string _group;
    private readonly SpreadStreamOptions _options;
    private readonly ISpreadRings _rings;
    private readonly Serializer<SpreadBatchContainer> _serializer;
    private readonly ILogger _logger;
    private readonly Dictionary<uint, QueueBuffer> _buffers = [];
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pending = new();
    private readonly ConcurrentDictionary<uint, SpreadQueueAdapterReceiver> _receivers = new();
    private readonly ConcurrentDictionary<uint, SpreadQueueCache> _caches = new();
    private readonly CancellationTokenSource _stopping = new();
    private RingSession? _session;
    private Task? _reader;
    private Task? _watermarks;
    private long _nextSequence;

    public SpreadStreamQueues(string name, SpreadStreamOptions options, ISpreadRings rings, Serializer<SpreadBatchContainer> serializer, ILogger<SpreadStreamQueues> logger, TimeProvider time)
    {
        _name = name;
        _group = SpreadStreamOptionsValidator.GroupName(name);
        _options = options;
        _rings = rings;
        _serializer = serializer;
        _logger = logger;
        Mapper = new HashRingBasedStreamQueueMapper(new HashRingStreamQueueMapperOptions { TotalQueueCount = options.QueueCount }, name);
        foreach (var queue in Mapper.GetAllQueues())
        {
            _buffers[queue.GetNumericId()] = new QueueBuffer(queue.GetNumericId(), options, time);
        }
    }

    public string Name => _name;

    public SpreadStreamOptions Options => _options;

    public HashRingBasedStreamQueueMapper Mapper { get; }

    public Serializer<SpreadBatchContainer> Serializer => _serializer;

    /// <summary>
    /// The provider's queues on this silo. Resolved (as a lifecycle participant) before Orleans runs
    /// the configuration validators, so the options are checked here too: a bad setting stops the
    /// silo with the validator's message rather than with whatever fails first.
    /// </summary>
    public static SpreadStreamQueues Create(IServiceProvider services, string name)
    {
        var options = services.GetRequiredService<IOptionsMonitor<SpreadStreamOptions>>().Get(name);
        SpreadStreamOptionsValidator.Validate(name, options);
        return new(
            name,
            options,
            services.GetRequiredService<ISpreadRings>(),
            services.GetRequiredService<Serializer<SpreadBatchContainer>>(),
            services.GetRequiredService<ILogger<SpreadStreamQueues>>(),
            TimeProvider.System);
    }

    /// <summary>Queues whose receiver runs on this silo.</summary>
    public IReadOnlyCollection<uint> OwnedQueues => [.. _receivers.Keys];

    public QueueBuffer Buffer(QueueId queue) => _buffers[queue.GetNumericId()];

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"SpreadStreams-{_name}", LifecycleStage, StartAsync, StopAsync);

    /// <summary>
    /// Orders a batch on the ring; completes once this silo has received it back in the ring's
    /// order. Waits first while the stream's queue holds its bound of undelivered events.
    /// </summary>
    public async Task ProduceAsync(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext, CancellationToken cancellationToken = default)
    {
        _ = _session ?? throw NotRunning();
        var queue = Mapper.GetQueueForStream(streamId);
        await Buffer(queue).WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
        var session = _session ?? throw NotRunning();
        long sequence = Interlocked.Increment(ref _nextSequence);
        var writer = new ArrayBufferWriter<byte>(256);
        StreamEnvelope.WriteEventHeader(writer.GetSpan(StreamEnvelope.EventHeaderSize), queue.GetNumericId(), sequence);
        writer.Advance(StreamEnvelope.EventHeaderSize);
        _serializer.Serialize(new SpreadBatchContainer(streamId, events, requestContext), writer);
        var ordered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[sequence] = ordered;
        try
        {
            await session.MulticastAsync(_group, writer.WrittenMemory, _options.ServiceType, MulticastFlags.None, cancellationToken).ConfigureAwait(false);
            await ordered.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(sequence, out _);
        }
    }

    private InvalidOperationException NotRunning() =>
        new($"Spread stream provider '{_name}' is not running on this silo (it runs from silo lifecycle stage {LifecycleStage} until the silo stops).");

    internal void SetCache(QueueId queue, SpreadQueueCache cache) => _caches[queue.GetNumericId()] = cache;

    internal SpreadQueueCache? Cache(uint queue) => _caches.GetValueOrDefault(queue);

    internal void Register(SpreadQueueAdapterReceiver receiver) => _receivers[receiver.Queue] = receiver;

    internal void Unregister(SpreadQueueAdapterReceiver receiver) => _receivers.TryRemove(KeyValuePair.Create(receiver.Queue, receiver));

    /// <summary>Multicasts a queue's watermark (best effort: a full send queue waits).</summary>
    internal async Task PublishWatermarkAsync(uint queue, RingPosition position)
    {
        if (_session is { } session)
        {
            try
            {
                await session.MulticastAsync(_group, StreamEnvelope.Watermark(queue, position), _options.ServiceType).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The ring stopped: the watermark goes with it.
            }
        }
    }

    public void Dispose() => _stopping.Dispose();

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var ring = _rings.GetRing(_options.RingName);
        var session = ring.Node.OpenSession($"streams-{(uint)_name.GetHashCode(StringComparison.Ordinal):x8}");
        await session.JoinAsync(_group, cancellationToken).ConfigureAwait(false);
        _session = session;
        _reader = Task.Run(() => ReadAsync(session), CancellationToken.None);
        _watermarks = Task.Run(() => PublishWatermarksAsync(_stopping.Token), CancellationToken.None);
        LogStarted(_logger, _name, _options.RingName, _group);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_watermarks is not null)
        {
            await _watermarks.ConfigureAwait(false);
        }

        if (_session is { } session)
        {
            _session = null;
            try
            {
                await session.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is ObjectDisposedException or OperationCanceledException)
            {
                // The ring stopped first, or the silo stops in a hurry.
            }
        }

        if (_reader is not null)
        {
            await _reader.ConfigureAwait(false);
        }

        var stopped = new InvalidOperationException($"Spread stream provider '{_name}' stopped on this silo before the event was ordered.");
        foreach (var buffer in _buffers.Values)
        {
            buffer.Close(stopped);
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(stopped);
        }
    }

    private async Task ReadAsync(RingSession session)
    {
        try
        {
            await foreach (var sessionEvent in session.ReadAllAsync().ConfigureAwait(false))
            {
                using (sessionEvent)
                {
                    if (sessionEvent.Kind == SessionEventKind.Message)
                    {
                        Deliver(session, sessionEvent.Message);
                    }
                }
            }
        }
        catch (Exception ex)
        {
            LogReaderFailed(_logger, ex, _name);
        }
    }

    private void Deliver(RingSession session, RingMessage message)
    {
        var payload = message.Payload.Span;
        var position = RingPosition.From(message.Position);
        if (StreamEnvelope.TryReadEvent(payload, out uint queue, out long sequence))
        {
            if (_buffers.TryGetValue(queue, out var buffer))
            {
                buffer.Append(position, payload[StreamEnvelope.EventHeaderSize..].ToArray());
            }
            else
            {
                LogUnknownQueue(_logger, _name, queue, message.Sender.ToString());
            }

            if (message.Sender == session.Member && _pending.TryGetValue(sequence, out var ordered))
            {
                ordered.TrySetResult();
            }
        }
        else if (StreamEnvelope.TryReadWatermark(payload, out queue, out var watermark))
        {
            if (_buffers.TryGetValue(queue, out var buffer))
            {
                buffer.SetWatermark(watermark);
            }
        }
    }

    private async Task PublishWatermarksAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(_options.WatermarkInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                foreach (var receiver in _receivers.Values)
                {
                    if (receiver.TakeWatermark() is { } watermark)
                    {
                        await PublishWatermarkAsync(receiver.Queue, watermark).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception ex)
        {
            LogReaderFailed(_logger, ex, _name);
        }
    }

    [LoggerMessage(EventId = (int)StreamProviderLogEvent.Started, Level = LogLevel.Information, Message = "Spread stream provider '{Provider}' runs on ring '{Ring}', group '{Group}'.")]
    private static partial void LogStarted(ILogger logger, string provider, string ring, string group);

    [LoggerMessage(EventId = (int)StreamProviderLogEvent.ReaderFailed, Level = LogLevel.Error, Message = "Spread stream provider '{Provider}': reading the ring failed; this silo no longer receives events.")]
    private static partial void LogReaderFailed(ILogger logger, Exception exception, string provider);

    [LoggerMessage(EventId = (int)StreamProviderLogEvent.UnknownQueue, Level = LogLevel.Warning, Message = "Spread stream provider '{Provider}': an event for queue {Queue} from {Sender}, which this silo does not have; check that QueueCount is the same on every silo and client.")]
    private static partial void LogUnknownQueue(ILogger logger, string provider, uint queue, string sender);
}
