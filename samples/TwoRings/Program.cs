using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using SpreadNet.RingSilo;
using SpreadNet.Samples.TwoRings;

// Three silos in this process, each with a vital ring and a bulk ring (see Silos.AddTwoRings):
// heartbeats on the vital ring alone, then beside a bulk stream of large events on the bulk ring.
int seconds = 4, sizeKb = 256, siloPort = 11121, gatewayPort = 30021;
for (int i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--seconds": seconds = Next(); break;
        case "--size-kb": sizeKb = Next(); break;
        case "--silo-port": siloPort = Next(); break;
        case "--gateway-port": gatewayPort = Next(); break;
        default:
            Console.WriteLine("SpreadNet two rings: --seconds N (bulk phase, 4), --size-kb N (bulk event size, 256), --silo-port P (11121), --gateway-port G (30021)");
            return args[i] is "--help" or "-h" ? 0 : 2;
    }
}

var clock = Stopwatch.StartNew();
var hosts = new List<IHost>();
try
{
    hosts.Add(Silos.Create(1, siloPort, gatewayPort));
    await hosts[0].StartAsync();
    hosts.AddRange([Silos.Create(2, siloPort, gatewayPort), Silos.Create(3, siloPort, gatewayPort)]);
    await Task.WhenAll(hosts.Skip(1).Select(h => h.StartAsync()));

    SpreadRing Ring(IHost host, string name) => host.Services.GetRequiredService<ISpreadRings>().GetRing(name);
    while (!hosts.All(h => Ring(h, Silos.Vital).Node.Configuration?.Members.Count == 3 && Ring(h, Silos.Bulk).Node.Configuration?.Members.Count == 3))
    {
        if (clock.Elapsed > TimeSpan.FromSeconds(60))
        {
            throw new TimeoutException("The rings did not form within 60 s.");
        }

        await Task.Delay(50);
    }

    Console.WriteLine("SpreadNet two rings: 3 silos in this process, each hosting two rings.");
    Console.WriteLine($"  ring \"vital\" (preset Vital, token loss 100 ms): {string.Join(", ", hosts.Select(h => Ring(h, Silos.Vital).EndPoint))}");
    Console.WriteLine($"  ring \"bulk\"  (preset Lan, messages up to 4 MiB, stream provider \"bulk\"): {string.Join(", ", hosts.Select(h => Ring(h, Silos.Bulk).EndPoint))}");
    Console.WriteLine();

    await using var heartbeat = await Heartbeat.StartAsync([.. hosts.Select(h => Ring(h, Silos.Vital).Node)]);
    var period = TimeSpan.FromMilliseconds(5);
    int sentAlone = await heartbeat.BeatAsync(period, TimeSpan.FromSeconds(2));
    await Task.Delay(200);
    var alone = heartbeat.TakeLatencies();
    Console.WriteLine($"heartbeats on \"vital\", silo1 to silo2 and silo3 every {period.TotalMilliseconds} ms, alone:       {Describe(alone)}");

    var grains = hosts[0].Services.GetRequiredService<IGrainFactory>();
    var stream = Guid.NewGuid();
    var producing = hosts.Select(async (h, k) =>
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, h.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress);
        return await grains.GetGrain<IBulkProducerGrain>($"producer-{k + 1}").ProduceAsync(stream, sizeKb << 10, TimeSpan.FromSeconds(seconds));
    }).ToList();
    var bulkClock = Stopwatch.StartNew();
    int sentBeside = await heartbeat.BeatAsync(period, TimeSpan.FromSeconds(seconds));
    int produced = (await Task.WhenAll(producing)).Sum();
    var beside = heartbeat.TakeLatencies();
    Console.WriteLine($"heartbeats on \"vital\" while \"bulk\" streams {sizeKb} KiB events from 3 silos: {Describe(beside)}");

    var sink = grains.GetGrain<IBulkSinkGrain>(stream);
    var (events, bytes, inOrder) = await sink.GetAsync();
    while (events < produced && bulkClock.Elapsed < TimeSpan.FromSeconds(seconds + 60))
    {
        await Task.Delay(100);
        (events, bytes, inOrder) = await sink.GetAsync();
    }

    Console.WriteLine($"bulk stream: {events} of {produced} events received ({bytes / 1e6:0} MB, {bytes / 1e6 / bulkClock.Elapsed.TotalSeconds:0} MB/s until the last one), each producer's in order: {(inOrder ? "yes" : "NO")}");

    int expectedBeats = 2 * (sentAlone + sentBeside);
    bool pass = heartbeat.Received == expectedBeats && events == produced && inOrder;
    Console.WriteLine(pass
        ? $"PASS: both rings worked side by side ({heartbeat.Received} of {expectedBeats} heartbeats, every bulk event) in {clock.Elapsed.TotalSeconds:0.0} s"
        : $"FAIL: heartbeats {heartbeat.Received} of {expectedBeats}, bulk events {events} of {produced}, in order {inOrder}");
    return pass ? 0 : 1;
}
finally
{
    foreach (var host in Enumerable.Reverse(hosts))
    {
        await host.StopAsync();
        host.Dispose();
    }
}

static string Describe(List<double> latencies)
{
    if (latencies.Count == 0)
    {
        return "no heartbeat received";
    }

    latencies.Sort();
    double P(double q) => latencies[Math.Min(latencies.Count - 1, (int)(q * latencies.Count))];
    return $"p50 {P(0.5):0.00} ms, p99 {P(0.99):0.00} ms, max {latencies[^1]:0.00} ms ({latencies.Count} received)";
}
