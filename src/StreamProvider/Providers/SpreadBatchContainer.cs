using Orleans;
using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// One producer call's events for one stream. Serialised with Orleans' serializer onto the ring
/// (without a token: the ring's order gives it), and to consumers (with it).
/// </summary>
[GenerateSerializer]
internal sealed class SpreadBatchContainer : IBatchContainer
{
    public SpreadBatchContainer(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext)
    {
        StreamId = streamId;
        Events = events;
        RequestContext = requestContext;
    }

    [Id(0)]
    public StreamId StreamId { get; }

    [Id(1)]
    public List<object> Events { get; }

    [Id(2)]
    public Dictionary<string, object>? RequestContext { get; }

    [Id(3)]
    public SpreadSequenceToken? Token { get; set; }

    public StreamSequenceToken SequenceToken => Token ?? throw new InvalidOperationException("The batch has not been ordered by the ring yet.");

    public IEnumerable<Tuple<T, StreamSequenceToken>> GetEvents<T>()
    {
        var token = (SpreadSequenceToken)SequenceToken;
        for (int i = 0; i < Events.Count; i++)
        {
            if (Events[i] is T item)
            {
                yield return Tuple.Create<T, StreamSequenceToken>(item, token.ForEvent(i));
            }
        }
    }

    public bool ImportRequestContext()
    {
        if (RequestContext is null)
        {
            return false;
        }

        RequestContextExtensions.Import(RequestContext);
        return true;
    }

    public override string ToString() => $"{StreamId} {Token} ({Events.Count} events)";
}
