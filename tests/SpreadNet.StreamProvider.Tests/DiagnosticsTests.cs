using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Orleans.Streaming.Diagnostics;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>
/// The provider's pulling agents in what Orleans itself reports for persistent streams: the
/// "Orleans.Streaming" diagnostic events and the stream instruments of the "Microsoft.Orleans" meter.
/// </summary>
public sealed class DiagnosticsTests
{
    private const int Queues = 4;

    [Fact]
    public async Task PullingAgents_SpreadProvider_AppearInOrleansStreamingEventsAndInstruments()
    {
        var events = new ConcurrentQueue<StreamingEvents.StreamingEvent>();
        using var subscription = StreamingEvents.AllEvents.Subscribe(new Collector(e =>
        {
            if (e.StreamProvider == StreamCluster.Provider)
            {
                events.Enqueue(e);
            }
        }));
        var measurements = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.Orleans" && instrument.Name.StartsWith("orleans-streams-persistent-stream-", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key is "provider" or "name" && Equals(tag.Value, StreamCluster.Provider))
                {
                    measurements.AddOrUpdate(instrument.Name, value, (_, sum) => instrument is ObservableGauge<int> ? value : sum + value);
                }
            }
        });
        listener.Start();

        await using var cluster = await StreamCluster.StartAsync(
            1,
            configureSilo: silo => silo.AddSpreadStreams(StreamCluster.Provider, o => o.QueueCount = Queues),
            configureClient: client => client.AddSpreadStreams(StreamCluster.Provider, o => o.QueueCount = Queues));
        var key = Guid.NewGuid();
        string recorder = $"diagnostics-{key}";
        await cluster.SubscribeAsync(0, recorder, "explicit", key);
        await cluster.ProduceAsync(0, 0, "explicit", key, 0, 5);
        await StreamCluster.WaitForCountAsync(recorder, 5);

        await StreamCluster.WaitUntilAsync(() => events.OfType<StreamingEvents.MessageDelivered>().Count() >= 5, "5 MessageDelivered events", () => $"{events.OfType<StreamingEvents.MessageDelivered>().Count()}");
        Assert.Equal(Queues, events.OfType<StreamingEvents.PullingAgentStarted>().Select(e => e.QueueId).Distinct().Count());
        Assert.Equal(Queues, events.OfType<StreamingEvents.QueueReceiverInitialized>().Select(e => e.QueueId).Distinct().Count());
        Assert.All(events.OfType<StreamingEvents.MessageDelivered>(), e => Assert.IsType<SpreadBatchContainer>(e.Batch));

        await StreamCluster.WaitUntilAsync(
            () =>
            {
                listener.RecordObservableInstruments();
                return measurements.GetValueOrDefault("orleans-streams-persistent-stream-messages-read") >= 5
                    && measurements.GetValueOrDefault("orleans-streams-persistent-stream-messages-sent") >= 5
                    && measurements.GetValueOrDefault("orleans-streams-persistent-stream-pulling-agents") == Queues;
            },
            "Orleans' stream instruments counting the provider's reads, deliveries and pulling agents",
            () => string.Join(", ", measurements.Select(m => $"{m.Key}={m.Value}")));
    }

    private sealed class Collector(Action<StreamingEvents.StreamingEvent> onNext) : IObserver<StreamingEvents.StreamingEvent>
    {
        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void OnNext(StreamingEvents.StreamingEvent value) => onNext(value);
    }
}
