using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// Consecutive cached batches of one stream handed to a subscriber in one delivery call
/// (<see cref="SpreadStreamOptions.DeliveryBatchSize"/>). As an <see cref="IBatchContainerBatch"/>
/// it makes Orleans' consumer import each batch's request context around that batch's events for
/// item observers, and give batch observers all events in one call.
/// </summary>
/// <remarks>
/// The token is the last batch's: Orleans' consumer remembers the delivered container's token and
/// an agent that (re)starts a cursor from it skips the batch at that token as already delivered, so
/// only the last batch's token says that everything merged has been delivered.
/// </remarks>
[GenerateSerializer]
internal sealed class SpreadMergedBatch : IBatchContainerBatch
{
    public SpreadMergedBatch(List<IBatchContainer> batchContainers)
    {
        BatchContainers = batchContainers;
        StreamId = batchContainers[0].StreamId;
        SequenceToken = batchContainers[^1].SequenceToken;
    }

    [Id(0)]
    public List<IBatchContainer> BatchContainers { get; }

    [Id(1)]
    public StreamId StreamId { get; }

    [Id(2)]
    public StreamSequenceToken SequenceToken { get; }

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>() => BatchContainers.SelectMany(batch => batch.GetEvents<T>());

    /// <summary>The first batch's context, for the delivery call itself (the consumer imports each batch's around its events).</summary>
    public bool ImportRequestContext() => BatchContainers[0].ImportRequestContext();

    public override string ToString() => $"{StreamId} {BatchContainers[0].SequenceToken}..{SequenceToken} ({BatchContainers.Count} batches)";
}
