using System.Diagnostics;
using Orleans;
using Orleans.BroadcastChannel;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Streams;

namespace SpreadNet.Benchmarks.Streams;

/// <summary>A benchmark event: the producer's <see cref="Stopwatch"/> stamp, its phase, and padding to about 100 bytes.</summary>
[GenerateSerializer, Immutable]
public sealed record BenchEvent([property: Id(0)] long SentAt, [property: Id(1)] BenchPhase Phase, [property: Id(2)] byte[] Padding);

/// <summary>What the producers push to: an Orleans stream (SpreadNet or MemoryStreams) or a broadcast channel.</summary>
public enum BenchTransport
{
    Stream,
    Broadcast,
}

/// <summary>One producer's instructions.</summary>
[GenerateSerializer, Immutable]
public sealed record ProducerPlan(
    [property: Id(0)] BenchTransport Transport,
    [property: Id(1)] string Provider,
    [property: Id(2)] string Key,
    [property: Id(3)] double PerSecond,
    [property: Id(4)] BenchPhase Phase,
    [property: Id(5)] long TimedFrom,
    [property: Id(6)] long TimedUntil);

/// <summary>A producer's totals once stopped.</summary>
[GenerateSerializer, Immutable]
public sealed record ProducerTotals([property: Id(0)] long Sent, [property: Id(1)] long Rejected);

public interface IBenchProducerGrain : IGrainWithStringKey
{
    /// <summary>Starts producing in the background (each event after the previous one completed); returns the silo's name.</summary>
    Task<string> StartAsync(ProducerPlan plan);

    Task<ProducerTotals> StopAsync();
}

/// <summary>
/// Produces <see cref="BenchEvent"/>s one at a time (the next after the previous OnNextAsync or
/// Publish completed: in flight is one per producer), at a fixed rate or flat out.
/// </summary>
public sealed class BenchProducerGrain(ILocalSiloDetails silo, IClusterClient client) : Grain, IBenchProducerGrain
{
    private static readonly byte[] Padding = new byte[84];
    private Task<ProducerTotals>? _loop;
    private bool _stopping;

    public Task<string> StartAsync(ProducerPlan plan)
    {
        _stopping = false;
        _loop = RunAsync(plan);
        return Task.FromResult(silo.Name);
    }

    public async Task<ProducerTotals> StopAsync()
    {
        _stopping = true;
        var totals = _loop is null ? new ProducerTotals(0, 0) : await _loop;
        _loop = null;
        return totals;
    }

    private async Task<ProducerTotals> RunAsync(ProducerPlan plan)
    {
        Func<BenchEvent, Task> send;
        if (plan.Transport == BenchTransport.Broadcast)
        {
            var writer = client.GetBroadcastChannelProvider(plan.Provider).GetChannelWriter<BenchEvent>(ChannelId.Create(StreamsScenario.Namespace, plan.Key));
            send = writer.Publish;
        }
        else
        {
            var stream = this.GetStreamProvider(plan.Provider).GetStream<BenchEvent>(StreamId.Create(StreamsScenario.Namespace, plan.Key));
            send = item => stream.OnNextAsync(item);
        }

        long sent = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        while (!_stopping)
        {
            if (plan.PerSecond > 0)
            {
                var due = TimeSpan.FromSeconds(sent / plan.PerSecond);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }

            long now = Stopwatch.GetTimestamp();
            var phase = now >= plan.TimedFrom && now < plan.TimedUntil ? plan.Phase : BenchPhase.Untimed;
            try
            {
                await send(new BenchEvent(now, phase, Padding));
                sent++;
            }
            catch (InvalidOperationException)
            {
                // MemoryStreams refuses events past 16,384 queued in a queue grain: back off, count it.
                rejected++;
                await Task.Delay(5);
            }
        }

        return new ProducerTotals(sent, rejected);
    }
}

public interface IStreamSubscriberGrain : IGrainWithStringKey
{
    /// <summary>Subscribes explicitly to the benchmark stream; returns the silo's name.</summary>
    Task<string> SubscribeAsync(string provider, string key, int index);
}

/// <summary>An explicit stream subscriber recording into <see cref="StreamsRecorder"/> as subscriber <c>index</c>.</summary>
public sealed class StreamSubscriberGrain(ILocalSiloDetails silo, StreamsRecorder recorder) : Grain, IStreamSubscriberGrain
{
    public async Task<string> SubscribeAsync(string provider, string key, int index)
    {
        var stream = this.GetStreamProvider(provider).GetStream<BenchEvent>(StreamId.Create(StreamsScenario.Namespace, key));
        await stream.SubscribeAsync((item, _) =>
        {
            recorder.Record(index, item);
            return Task.CompletedTask;
        });
        recorder.AttachedOn[index] = silo.Name;
        return silo.Name;
    }
}

/// <summary>A broadcast-channel subscriber; activated on a chosen silo before the first publish.</summary>
public interface IBroadcastSubscriberGrain : IGrainWithStringKey
{
    Task<string> WhereAsync();
}

public interface IBroadcastSubscriber0 : IBroadcastSubscriberGrain;

public interface IBroadcastSubscriber1 : IBroadcastSubscriberGrain;

public interface IBroadcastSubscriber2 : IBroadcastSubscriberGrain;

/// <summary>
/// Broadcast channels have implicit subscribers only, one activation per grain type and channel:
/// three grain types give three subscribers of one channel.
/// </summary>
public abstract class BroadcastSubscriberGrain(ILocalSiloDetails silo, StreamsRecorder recorder, int index) : Grain, IBroadcastSubscriberGrain, IOnBroadcastChannelSubscribed
{
    public Task<string> WhereAsync() => Task.FromResult(silo.Name);

    public Task OnSubscribed(IBroadcastChannelSubscription streamSubscription)
    {
        ArgumentNullException.ThrowIfNull(streamSubscription);
        recorder.AttachedOn[index] = silo.Name;
        return streamSubscription.Attach<BenchEvent>(item =>
        {
            recorder.Record(index, item);
            return Task.CompletedTask;
        });
    }
}

[ImplicitChannelSubscription(StreamsScenario.Namespace)]
public sealed class BroadcastSubscriber0(ILocalSiloDetails silo, StreamsRecorder recorder) : BroadcastSubscriberGrain(silo, recorder, 0), IBroadcastSubscriber0;

[ImplicitChannelSubscription(StreamsScenario.Namespace)]
public sealed class BroadcastSubscriber1(ILocalSiloDetails silo, StreamsRecorder recorder) : BroadcastSubscriberGrain(silo, recorder, 1), IBroadcastSubscriber1;

[ImplicitChannelSubscription(StreamsScenario.Namespace)]
public sealed class BroadcastSubscriber2(ILocalSiloDetails silo, StreamsRecorder recorder) : BroadcastSubscriberGrain(silo, recorder, 2), IBroadcastSubscriber2;
