using Orleans.Streams;

namespace SpreadNet.Samples.TwoRings;

public interface IBulkProducerGrain : IGrainWithStringKey
{
    /// <summary>Sends events of <paramref name="size"/> bytes on the bulk stream for <paramref name="duration"/>; returns how many.</summary>
    Task<int> ProduceAsync(Guid stream, int size, TimeSpan duration);
}

public interface IBulkSinkGrain : IGrainWithGuidKey
{
    /// <summary>Events and bytes received, and whether each producer's events came in the order sent.</summary>
    Task<(int Events, long Bytes, bool InOrder)> GetAsync();
}

/// <summary>An event of the bulk stream: who sent it, its number, a large payload.</summary>
[GenerateSerializer, Immutable]
public sealed record BulkEvent([property: Id(0)] string Producer, [property: Id(1)] int Number, [property: Id(2)] byte[] Payload);

public sealed class BulkProducerGrain : Grain, IBulkProducerGrain
{
    public async Task<int> ProduceAsync(Guid stream, int size, TimeSpan duration)
    {
        var target = this.GetStreamProvider(Silos.Bulk).GetStream<BulkEvent>(Silos.Bulk, stream);
        var payload = new byte[size];
        var end = DateTime.UtcNow + duration;
        int sent = 0;
        while (DateTime.UtcNow < end)
        {
            await target.OnNextAsync(new BulkEvent(this.GetPrimaryKeyString(), sent, payload));
            sent++;
        }

        return sent;
    }
}

/// <summary>The bulk stream's subscriber (implicit: one per stream).</summary>
[ImplicitStreamSubscription(Silos.Bulk)]
public sealed class BulkSinkGrain : Grain, IBulkSinkGrain
{
    private readonly Dictionary<string, int> _next = new(StringComparer.Ordinal);
    private int _events;
    private long _bytes;
    private bool _inOrder = true;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stream = this.GetStreamProvider(Silos.Bulk).GetStream<BulkEvent>(Silos.Bulk, this.GetPrimaryKey());
        await stream.SubscribeAsync(OnNextAsync);
    }

    public Task<(int Events, long Bytes, bool InOrder)> GetAsync() => Task.FromResult((_events, _bytes, _inOrder));

    private Task OnNextAsync(BulkEvent item, StreamSequenceToken? token)
    {
        _inOrder &= item.Number == _next.GetValueOrDefault(item.Producer);
        _next[item.Producer] = item.Number + 1;
        _events++;
        _bytes += item.Payload.Length;
        return Task.CompletedTask;
    }
}
