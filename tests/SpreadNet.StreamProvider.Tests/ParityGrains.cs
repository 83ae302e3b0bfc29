using Orleans;
using Orleans.Runtime;
using Orleans.Streams;
using Orleans.Streams.Core;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>
/// Grain subscribers written as an Orleans application writes them, used against the Spread
/// provider and MemoryStreams alike: the key is the stream's key, the key extension the provider.
/// </summary>
public interface IHandleGrain : IGrainWithGuidCompoundKey
{
    /// <summary>Subscribes <paramref name="count"/> times to stream "handles"/key; returns the handle ids.</summary>
    Task<List<Guid>> SubscribeAsync(int count);

    /// <summary>The handle ids the stream's pub-sub holds for this grain.</summary>
    Task<List<Guid>> HandlesAsync();

    Task UnsubscribeAsync(Guid handle);

    Task DeactivateAsync();
}

/// <summary>
/// Records each handle's events under "handle/{handle id}"; on activation resumes every handle the
/// grain already has (Orleans' documented pattern for a reactivated explicit subscriber).
/// </summary>
public sealed class HandleGrain(ILocalSiloDetails silo) : Grain, IHandleGrain
{
    private IAsyncStream<Item> Stream
    {
        get
        {
            var key = this.GetPrimaryKey(out string? provider);
            return this.GetStreamProvider(provider!).GetStream<Item>("handles", key);
        }
    }

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var handle in await Stream.GetAllSubscriptionHandles())
        {
            await handle.ResumeAsync(Recorder(handle.HandleId));
        }
    }

    public async Task<List<Guid>> SubscribeAsync(int count)
    {
        var ids = new List<Guid>();
        for (int i = 0; i < count; i++)
        {
            // The observer needs the handle's id, known only once subscribed: record through a slot.
            Guid id = Guid.Empty;
            var handle = await Stream.SubscribeAsync((item, token) => Record(id, item, token));
            id = handle.HandleId;
            ids.Add(id);
        }

        return ids;
    }

    public async Task<List<Guid>> HandlesAsync() => [.. (await Stream.GetAllSubscriptionHandles()).Select(h => h.HandleId)];

    public async Task UnsubscribeAsync(Guid handle)
    {
        foreach (var h in await Stream.GetAllSubscriptionHandles())
        {
            if (h.HandleId == handle)
            {
                await h.UnsubscribeAsync();
            }
        }
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private Func<Item, StreamSequenceToken?, Task> Recorder(Guid id) => (item, token) => Record(id, item, token);

    private Task Record(Guid id, Item item, StreamSequenceToken? token)
    {
        Journal.Add($"handle/{id}", new Received(item, token, silo.Name));
        return Task.CompletedTask;
    }
}

public interface IManagedSubscriberGrain : IGrainWithGuidCompoundKey
{
}

/// <summary>
/// A grain subscribed by Orleans' subscription manager, not by itself: it attaches its observer
/// when Orleans hands it the subscription (<see cref="IStreamSubscriptionObserver"/>). Records
/// under "managed/{provider}/{key}".
/// </summary>
public sealed class ManagedSubscriberGrain(ILocalSiloDetails silo) : Grain, IManagedSubscriberGrain, IStreamSubscriptionObserver
{
    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        var key = this.GetPrimaryKey(out string? provider);
        string name = $"managed/{provider}/{key}";
        await handleFactory.Create<Item>().ResumeAsync((item, token) =>
        {
            Journal.Add(name, new Received(item, token, silo.Name));
            return Task.CompletedTask;
        });
    }
}

public interface IBatchRecorderGrain : IGrainWithStringKey
{
    Task SubscribeAsync(string provider, Guid key);
}

/// <summary>
/// A batch subscriber (<see cref="IAsyncBatchObserver{T}"/>) of stream "batches"/key: records each
/// item under its name and each delivered batch's size under "{name}/sizes" (as the item's value).
/// </summary>
public sealed class BatchRecorderGrain(ILocalSiloDetails silo) : Grain, IBatchRecorderGrain
{
    public async Task SubscribeAsync(string provider, Guid key)
    {
        string name = this.GetPrimaryKeyString();
        await this.GetStreamProvider(provider).GetStream<Item>("batches", key).SubscribeAsync((IList<SequentialItem<Item>> batch) =>
        {
            Journal.Add($"{name}/sizes", new Received(new Item(-1, batch.Count), null, silo.Name));
            foreach (var entry in batch)
            {
                Journal.Add(name, new Received(entry.Item, entry.Token, silo.Name));
            }

            return Task.CompletedTask;
        });
    }
}

public interface IFaultyRecorderGrain : IGrainWithStringKey
{
    Task SubscribeAsync(string provider, Guid key, int poison);
}

/// <summary>
/// A subscriber of stream "faulty"/key that throws for item value <c>poison</c>: records every
/// attempt under "{name}/attempts", what it accepted under its name, and what its OnErrorAsync saw
/// under "{name}/errors" (the exception's type name as the silo field).
/// </summary>
public sealed class FaultyRecorderGrain(ILocalSiloDetails silo) : Grain, IFaultyRecorderGrain
{
    public async Task SubscribeAsync(string provider, Guid key, int poison)
    {
        string name = this.GetPrimaryKeyString();
        await this.GetStreamProvider(provider).GetStream<Item>("faulty", key).SubscribeAsync(
            (item, token) =>
            {
                Journal.Add($"{name}/attempts", new Received(item, token, silo.Name));
                if (item.Value == poison)
                {
                    throw new InvalidOperationException($"poison item {item}");
                }

                Journal.Add(name, new Received(item, token, silo.Name));
                return Task.CompletedTask;
            },
            error =>
            {
                Journal.Add($"{name}/errors", new Received(new Item(-1, -1), null, error.GetType().Name));
                return Task.CompletedTask;
            });
    }
}

public interface IBlockingRecorderGrain : IGrainWithStringKey
{
    Task SubscribeAsync(string provider, Guid key);
}

/// <summary>
/// A subscriber of stream "blocking"/key that holds each delivery until the test opens
/// <see cref="Gates"/>[name]: a subscriber that stops consuming.
/// </summary>
public sealed class BlockingRecorderGrain(ILocalSiloDetails silo) : Grain, IBlockingRecorderGrain
{
    public static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource> Gates = new();

    public async Task SubscribeAsync(string provider, Guid key)
    {
        string name = this.GetPrimaryKeyString();
        var gate = Gates.GetOrAdd(name, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await this.GetStreamProvider(provider).GetStream<Item>("blocking", key).SubscribeAsync(async (item, token) =>
        {
            await gate.Task;
            Journal.Add(name, new Received(item, token, silo.Name));
        });
    }
}
