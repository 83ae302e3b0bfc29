using System.Collections.Concurrent;
using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>An event of the tests: which producer sent it and its number in that producer's run.</summary>
[GenerateSerializer, Immutable]
public sealed record Item([property: Id(0)] int Producer, [property: Id(1)] int Value)
{
    public override string ToString() => $"{Producer}:{Value}";
}

/// <summary>One delivery as a subscriber saw it.</summary>
public sealed record Received(Item Item, StreamSequenceToken? Token, string Silo);

/// <summary>
/// What every subscriber received, by subscriber name, kept in the test process (the silos run in
/// it) so that it outlives grain activations that move when a silo stops.
/// </summary>
public static class Journal
{
    private static readonly ConcurrentDictionary<string, List<Received>> Entries = new();

    public static void Add(string subscriber, Received received)
    {
        var list = Entries.GetOrAdd(subscriber, _ => []);
        lock (list)
        {
            list.Add(received);
        }
    }

    public static List<Received> Get(string subscriber)
    {
        var list = Entries.GetOrAdd(subscriber, _ => []);
        lock (list)
        {
            return [.. list];
        }
    }
}

public interface IRecorderGrain : IGrainWithStringKey
{
    Task<string> SubscribeAsync(string provider, string streamNamespace, Guid key, StreamSequenceToken? from);

    Task UnsubscribeAsync();
}

/// <summary>An explicit subscriber: records into <see cref="Journal"/> under its key.</summary>
public sealed class RecorderGrain(ILocalSiloDetails silo) : Grain, IRecorderGrain
{
    private StreamSubscriptionHandle<Item>? _handle;

    public async Task<string> SubscribeAsync(string provider, string streamNamespace, Guid key, StreamSequenceToken? from)
    {
        var stream = this.GetStreamProvider(provider).GetStream<Item>(streamNamespace, key);
        string name = this.GetPrimaryKeyString();
        string siloName = silo.Name;
        Task OnNext(Item item, StreamSequenceToken? token)
        {
            Journal.Add(name, new Received(item, token, siloName));
            return Task.CompletedTask;
        }

        _handle = from is null ? await stream.SubscribeAsync(OnNext) : await stream.SubscribeAsync(OnNext, from);
        return silo.Name;
    }

    public async Task UnsubscribeAsync()
    {
        if (_handle is not null)
        {
            await _handle.UnsubscribeAsync();
            _handle = null;
        }
    }
}

public interface IImplicitRecorderGrain : IGrainWithGuidKey
{
}

/// <summary>An implicit subscriber of namespace "implicit" (provider "spread"): records under "implicit/{key}".</summary>
[ImplicitStreamSubscription("implicit")]
public sealed class ImplicitRecorderGrain(ILocalSiloDetails silo) : Grain, IImplicitRecorderGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKey();
        var stream = this.GetStreamProvider(StreamCluster.Provider).GetStream<Item>("implicit", key);
        string name = $"implicit/{key}";
        await stream.SubscribeAsync((item, token) =>
        {
            Journal.Add(name, new Received(item, token, silo.Name));
            return Task.CompletedTask;
        });
    }
}

public interface IProducerGrain : IGrainWithStringKey
{
    Task<string> ProduceAsync(string provider, string streamNamespace, Guid key, int producer, int first, int count, int delayMs);

    /// <summary>Produces items first..first+count-1 with one OnNextBatchAsync call.</summary>
    Task ProduceBatchAsync(string provider, string streamNamespace, Guid key, int producer, int first, int count);
}

/// <summary>Produces numbered items one at a time, each after the previous one was ordered.</summary>
public sealed class ProducerGrain(ILocalSiloDetails silo) : Grain, IProducerGrain
{
    public async Task<string> ProduceAsync(string provider, string streamNamespace, Guid key, int producer, int first, int count, int delayMs)
    {
        var stream = this.GetStreamProvider(provider).GetStream<Item>(streamNamespace, key);
        for (int i = first; i < first + count; i++)
        {
            await stream.OnNextAsync(new Item(producer, i));
            if (delayMs > 0)
            {
                await Task.Delay(delayMs);
            }
        }

        return silo.Name;
    }

    public Task ProduceBatchAsync(string provider, string streamNamespace, Guid key, int producer, int first, int count) =>
        this.GetStreamProvider(provider).GetStream<Item>(streamNamespace, key).OnNextBatchAsync([.. Enumerable.Range(first, count).Select(i => new Item(producer, i))]);
}
