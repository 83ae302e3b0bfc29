using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// The queue adapter. On a silo, a batch is multicast on the ring and the call completes once the
/// ring has ordered it; on a client (no ring), it is forwarded to a silo through
/// <see cref="ISpreadStreamProducerGrain"/>.
/// </summary>
internal sealed class SpreadQueueAdapter(string name, SpreadStreamQueues? queues, IGrainFactory? grains, ILoggerFactory loggerFactory) : IQueueAdapter
{
    public string Name => name;

    public bool IsRewindable => true;

    public StreamProviderDirection Direction => queues is null ? StreamProviderDirection.WriteOnly : StreamProviderDirection.ReadWrite;

    public Task QueueMessageBatchAsync<T>(StreamId streamId, IEnumerable<T> events, StreamSequenceToken? token, Dictionary<string, object>? requestContext)
    {
        ArgumentNullException.ThrowIfNull(events);
        if (token is not null)
        {
            throw new ArgumentException($"Spread stream provider '{name}' orders events itself: pass no sequence token when producing.", nameof(token));
        }

        var items = new List<object>();
        foreach (var item in events)
        {
            items.Add(item!);
        }

        var context = requestContext is { Count: > 0 } ? requestContext : null;
        if (queues is not null)
        {
            return queues.ProduceAsync(streamId, items, context);
        }

        return grains!.GetGrain<ISpreadStreamProducerGrain>(name).ProduceAsync(streamId, items, context);
    }

    public IQueueAdapterReceiver CreateReceiver(QueueId queueId) =>
        queues is null
            ? throw new InvalidOperationException($"Spread stream provider '{name}' has no receivers on a client.")
            : new SpreadQueueAdapterReceiver(queueId, queues, loggerFactory.CreateLogger<SpreadQueueAdapterReceiver>());
}
