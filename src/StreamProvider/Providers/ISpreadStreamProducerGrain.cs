using Orleans;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>Where a client's producers send their batches: a stateless worker on a silo, keyed by provider name.</summary>
internal interface ISpreadStreamProducerGrain : IGrainWithStringKey
{
    /// <summary>Orders a batch on the silo's ring; completes once ordered.</summary>
    Task ProduceAsync(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext);
}

/// <summary>Forwards a client's batches to the silo's provider (<see cref="SpreadStreamQueues"/>).</summary>
[StatelessWorker]
[Reentrant]
internal sealed class SpreadStreamProducerGrain(IServiceProvider services) : Grain, ISpreadStreamProducerGrain
{
    public Task ProduceAsync(StreamId streamId, List<object> events, Dictionary<string, object>? requestContext)
    {
        string provider = this.GetPrimaryKeyString();
        var queues = Microsoft.Extensions.DependencyInjection.ServiceProviderKeyedServiceExtensions.GetKeyedService<SpreadStreamQueues>(services, provider)
            ?? throw new InvalidOperationException($"Spread stream provider '{provider}' is not added to this silo: call AddSpreadStreams(\"{provider}\") on every silo.");
        return queues.ProduceAsync(streamId, events, requestContext);
    }
}
