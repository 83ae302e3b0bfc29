using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using Orleans.TestingHost;
using SpreadNet.RingSilo;
using SpreadNet.StreamProvider;

namespace SpreadNet.Benchmarks.Streams;

/// <summary>The stream transports compared, each at its defaults.</summary>
internal enum StreamsKind
{
    Spread,
    Memory,
    Broadcast,
}

/// <summary>
/// SpreadNet streams beside Orleans' MemoryStreams and BroadcastChannel: 3 silos in this process,
/// one stream, one subscriber grain on each silo, producers on each silo. Latency at a light fixed
/// load first (end to end, the event's stamp to each subscriber's handler), then throughput with
/// producers going flat out, one event in flight each, then the CPU the idle cluster uses.
/// </summary>
internal static class StreamsScenario
{
    public const string Namespace = "bench";
    public const string Provider = "bench";
    private const int Silos = 3;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public static async Task<List<ScenarioResult>> RunAsync(BenchSettings settings, TextWriter log, CancellationToken cancellationToken)
    {
        var results = new List<ScenarioResult>();
        foreach (var kind in settings.StreamKinds)
        {
            results.Add(await RunAsync(settings, kind, log, cancellationToken));
        }

        return results;
    }

    private static async Task<ScenarioResult> RunAsync(BenchSettings settings, StreamsKind kind, TextWriter log, CancellationToken cancellationToken)
    {
        string label = "streams-" + kind.ToString().ToLowerInvariant();
        var recorder = new StreamsRecorder(Silos);
        var builder = BenchSilos.Builder(Silos);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton(recorder);
            switch (kind)
            {
                case StreamsKind.Spread:
                    silo.AddMemoryGrainStorage("PubSubStore");
                    silo.AddSpreadStreams(Provider, o =>
                    {
                        if (settings.SpreadMaxWaitMs is double wait)
                        {
                            o.MaxReceiveWait = TimeSpan.FromMilliseconds(wait);
                        }

                        if (settings.SpreadDeliveryBatch is int batch)
                        {
                            o.DeliveryBatchSize = batch;
                        }
                    });
                    break;
                case StreamsKind.Memory:
                    silo.AddMemoryGrainStorage("PubSubStore");
                    silo.AddMemoryStreams(Provider);
                    break;
                case StreamsKind.Broadcast:
                    silo.AddBroadcastChannel(Provider, o => o.FireAndForgetDelivery = false);
                    break;
            }
        });
        await using var cluster = builder.Build();
        await cluster.DeployAsync(cancellationToken);
        try
        {
            if (kind == StreamsKind.Spread)
            {
                await BenchSilos.WaitForOneRingAsync(cluster, SpreadStreamOptions.DefaultRingName, cancellationToken);
            }

            string key = Guid.NewGuid().ToString("N");
            await AttachSubscribersAsync(cluster, kind, key, recorder);
            var transport = kind == StreamsKind.Broadcast ? BenchTransport.Broadcast : BenchTransport.Stream;

            // Latency: one producer per silo, the rate shared between them.
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: latency at {settings.StreamRate} events/s for {settings.Warmup:0.#} + {settings.Seconds:0.#} s"));
            var latencyCpu = ThreadCpu.Read();
            var latencyTotals = await ProduceAsync(cluster, transport, key, producersPerSilo: 1, perSecond: (double)settings.StreamRate / Silos, BenchPhase.Latency, settings, recorder, cancellationToken);
            var latencyUsage = ThreadCpu.Read().PercentSince(latencyCpu, settings.Warmup + settings.Seconds);
            bool latencyDrained = await DrainAsync(recorder, latencyTotals.Sent, cancellationToken);
            var latency = recorder.Latency(BenchPhase.Latency);

            // Throughput: producers flat out; deliveries counted in the window after the warm-up.
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: throughput, {settings.StreamProducers} producers per silo, {settings.Warmup:0.#} + {settings.Seconds:0.#} s"));
            long[] windowStart = new long[Silos];
            long[] windowEnd = new long[Silos];
            double windowSeconds = 0;
            ThreadCpu.Usage throughputUsage = default;
            long produceStart = Stopwatch.GetTimestamp();
            var throughputTotals = await ProduceAsync(cluster, transport, key, settings.StreamProducers, perSecond: 0, BenchPhase.Throughput, settings, recorder, cancellationToken, async () =>
            {
                await Task.Delay(TimeSpan.FromSeconds(settings.Warmup), cancellationToken);
                var cpu = ThreadCpu.Read();
                long t0 = Stopwatch.GetTimestamp();
                for (int i = 0; i < Silos; i++)
                {
                    windowStart[i] = recorder.Count(i);
                }

                await Task.Delay(TimeSpan.FromSeconds(settings.Seconds), cancellationToken);
                for (int i = 0; i < Silos; i++)
                {
                    windowEnd[i] = recorder.Count(i);
                }

                windowSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
                throughputUsage = ThreadCpu.Read().PercentSince(cpu, windowSeconds);
            });
            long expected = latencyTotals.Sent + throughputTotals.Sent;
            bool drained = await DrainAsync(recorder, expected, cancellationToken);
            // Everything the throughput phase produced over the time until the slowest subscriber had it all.
            double sustained = throughputTotals.Sent / Stopwatch.GetElapsedTime(produceStart).TotalSeconds;
            double? idleCpu = null;
            if (settings.IdleSeconds > 0)
            {
                // Settle first: background tier-up compilation of what the load ran costs more than the idle silos.
                await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);
                var idleStart = ThreadCpu.Read();
                await Task.Delay(TimeSpan.FromSeconds(settings.IdleSeconds), cancellationToken);
                var idle = ThreadCpu.Read().PercentSince(idleStart, settings.IdleSeconds);
                idleCpu = idle.Process;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: idle {idle.Process:F1}% of one core for the 3-silo process (machine {idle.Machine:F0}%)"));
            }

            double[] perSubscriber = [.. Enumerable.Range(0, Silos).Select(i => (windowEnd[i] - windowStart[i]) / windowSeconds)];
            var saturated = recorder.Latency(BenchPhase.Throughput);
            var result = new ScenarioResult
            {
                Scenario = label,
                Nodes = Silos,
                Seconds = settings.Seconds,
                DatagramSize = kind == StreamsKind.Spread ? new Ring.RingOptions().MaxDatagramSize : null,
                EventsPerSec = perSubscriber.Min(),
                PerSubscriberEventsPerSec = perSubscriber,
                SustainedEventsPerSec = drained ? sustained : null,
                ProducersPerSilo = settings.StreamProducers,
                Rejected = throughputTotals.Rejected + latencyTotals.Rejected,
                P50Us = latency.PercentileMicros(50),
                P99Us = latency.PercentileMicros(99),
                P999Us = latency.PercentileMicros(99.9),
                MaxUs = latency.MaxMicros,
                LatencySamples = latency.Count,
                LatencyRate = settings.StreamRate,
                LatencyCpuPercent = latencyUsage.Process,
                SaturatedP50Us = saturated.PercentileMicros(50),
                SaturatedP99Us = saturated.PercentileMicros(99),
                CpuPercent = throughputUsage.Process,
                MachineCpuPercent = throughputUsage.Machine,
                IdleCpuPercent = idleCpu,
                Drained = latencyDrained && drained,
            };
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.EventsPerSec:N0} events/s per subscriber (min of {string.Join(", ", perSubscriber.Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))}), sustained {result.SustainedEventsPerSec:N0}/s, latency p50 {result.P50Us:N0} us p99 {result.P99Us:N0} us ({latency.Count} samples), saturated p50 {result.SaturatedP50Us:N0} us, rejected {result.Rejected}, drained {result.Drained}, up to {Enumerable.Range(0, Silos).Max(i => recorder.Count(i) - windowEnd[i])} delivered to a subscriber after the window"));
            if (throughputUsage.DisturbanceWarning is { } warning)
            {
                log.WriteLine(warning);
            }

            return result;
        }
        finally
        {
            var stopping = Stopwatch.StartNew();
            await cluster.StopAllSilosAsync(CancellationToken.None);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: silos stopped in {stopping.Elapsed.TotalSeconds:F1} s"));
        }
    }

    private static async Task AttachSubscribersAsync(InProcessTestCluster cluster, StreamsKind kind, string key, StreamsRecorder recorder)
    {
        for (int i = 0; i < Silos; i++)
        {
            var silo = cluster.Silos[i];
            int index = i;
            string where = kind switch
            {
                StreamsKind.Broadcast => await BenchSilos.OnSiloAsync(silo, () => BroadcastSubscriber(cluster.Client, index, key).WhereAsync()),
                _ => await BenchSilos.OnSiloAsync(silo, () => cluster.Client.GetGrain<IStreamSubscriberGrain>($"sub-{key}-{index}").SubscribeAsync(Provider, key, index)),
            };
            if (where != silo.Name)
            {
                throw new InvalidOperationException($"Subscriber {i} was activated on {where}, not on {silo.Name}: the placement hint was not honoured.");
            }

            if (kind != StreamsKind.Broadcast)
            {
                recorder.AttachedOn[i] = where;
            }
        }
    }

    private static IBroadcastSubscriberGrain BroadcastSubscriber(IClusterClient client, int index, string key) => index switch
    {
        0 => client.GetGrain<IBroadcastSubscriber0>(key),
        1 => client.GetGrain<IBroadcastSubscriber1>(key),
        _ => client.GetGrain<IBroadcastSubscriber2>(key),
    };

    /// <summary>Runs producers for warm-up plus measured seconds (or while <paramref name="during"/> runs), then stops them.</summary>
    private static async Task<ProducerTotals> ProduceAsync(InProcessTestCluster cluster, BenchTransport transport, string key, int producersPerSilo, double perSecond, BenchPhase phase, BenchSettings settings, StreamsRecorder recorder, CancellationToken cancellationToken, Func<Task>? during = null)
    {
        long timedFrom = Stopwatch.GetTimestamp() + (long)(settings.Warmup * Stopwatch.Frequency);
        long timedUntil = timedFrom + (long)(settings.Seconds * Stopwatch.Frequency);
        var producers = new List<IBenchProducerGrain>();
        string run = Guid.NewGuid().ToString("N");
        for (int s = 0; s < Silos; s++)
        {
            for (int p = 0; p < producersPerSilo; p++)
            {
                var producer = cluster.Client.GetGrain<IBenchProducerGrain>($"producer-{run}-{s}-{p}");
                var plan = new ProducerPlan(transport, Provider, key, perSecond, phase, timedFrom, timedUntil);
                string where = await BenchSilos.OnSiloAsync(cluster.Silos[s], () => producer.StartAsync(plan));
                if (where != cluster.Silos[s].Name)
                {
                    throw new InvalidOperationException($"Producer {s}/{p} was activated on {where}, not on {cluster.Silos[s].Name}.");
                }

                producers.Add(producer);
            }
        }

        if (during is null)
        {
            await Task.Delay(TimeSpan.FromSeconds(settings.Warmup + settings.Seconds), cancellationToken);
        }
        else
        {
            await during();
        }

        var totals = await Task.WhenAll(producers.Select(p => p.StopAsync()));
        for (int i = 0; i < Silos; i++)
        {
            if (recorder.AttachedOn[i] != cluster.Silos[i].Name)
            {
                throw new InvalidOperationException($"Subscriber {i} is attached on {recorder.AttachedOn[i] ?? "no silo"}, not on {cluster.Silos[i].Name}.");
            }
        }

        return new ProducerTotals(totals.Sum(t => t.Sent), totals.Sum(t => t.Rejected));
    }

    /// <summary>Waits until every subscriber has received <paramref name="expected"/> events in all; false on timeout.</summary>
    private static async Task<bool> DrainAsync(StreamsRecorder recorder, long expected, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (recorder.MinCount() < expected)
        {
            if (clock.Elapsed > DrainTimeout)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }
}
