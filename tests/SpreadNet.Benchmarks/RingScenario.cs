using System.Diagnostics;
using System.Globalization;
using SpreadNet.Ring;

namespace SpreadNet.Benchmarks;

/// <summary>
/// N ring nodes in this process, one session per node in one group (or, with --raw, the nodes'
/// raw API). Throughput phase: every node's sender multicasts as fast as flow control and the
/// readers allow; a message counts once every node delivered it. Latency phase: a light fixed
/// load, submit-to-delivery measured at the sender. Allocation: bytes the whole process allocated
/// during the measured window per message delivered (summed over the nodes).
/// </summary>
internal static class RingScenario
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PrimeTimeout = TimeSpan.FromSeconds(20);
    private const double LatencyWarmupSeconds = 0.5;

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, int size, ServiceType service, TextWriter log, CancellationToken cancellationToken)
    {
        await using var cluster = await RingCluster.StartAsync(settings);
        if (!settings.Raw)
        {
            await cluster.OpenSessionsAsync(TimeSpan.FromSeconds(30));
        }

        var options = cluster.Options;
        string name = settings.Raw ? "ring-raw" : "ring";
        string serviceName = service.ToString().ToLowerInvariant();
        string label = settings.KeyModeName is { } key ? $"{name} {serviceName} {size} B {key}" : $"{name} {serviceName} {size} B";
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {settings.Nodes} nodes on {string.Join(", ", cluster.Nodes.Select(n => n.LocalEndPoint.Port))}, {(settings.Raw ? "raw API" : $"sessions, in flight {settings.InFlight}")}, datagram {options.MaxDatagramSize}, window {options.WindowSize}, per visit {options.MaxPacketsPerVisit}, send queue {options.SendQueueCapacity}, submit {settings.Submit.ToString().ToLowerInvariant()}, key {settings.KeyModeName ?? "none"}"));

        var throughput = await MeasureThroughputAsync(settings, cluster, size, service, label, log, cancellationToken);
        var latency = settings.Rate > 0 && settings.LatencySeconds > 0
            ? await MeasureLatencyAsync(settings, cluster, size, service, label, log, cancellationToken)
            : null;
        bool ordersAgree = throughput.OrdersAgree && (latency?.OrdersAgree ?? true);
        if (!ordersAgree)
        {
            log.WriteLine($"  [{label}] ORDER CHECK FAILED: the nodes did not deliver the same messages in the same order (or did not catch up within {DrainTimeout.TotalSeconds} s).");
        }

        var (a, b) = (throughput.First, throughput.Last);
        double seconds = b.SecondsSince(a);
        double msgs = (b.MinDelivered - a.MinDelivered) / seconds;
        long packets = b.PacketsSent - a.PacketsSent;
        var cpu = b.Cpu.PercentSince(a.Cpu, seconds);
        var saturated = cluster.MergedHistogram(Phase.Throughput);
        long deliveredAtAll = b.Delivered.Select((d, i) => d - a.Delivered[i]).Sum();
        var result = new ScenarioResult
        {
            Scenario = name,
            Service = serviceName,
            Size = size,
            MsgsPerSec = msgs,
            MbPerSec = msgs * size / 1e6,
            P50Us = latency?.Histogram.PercentileMicros(50),
            P99Us = latency?.Histogram.PercentileMicros(99),
            P999Us = latency?.Histogram.PercentileMicros(99.9),
            MaxUs = latency?.Histogram.MaxMicros,
            LatencySamples = latency?.Histogram.Count,
            LatencyRate = latency is null ? null : settings.Rate,
            LatencyRotationsPerSec = latency?.RotationsPerSec,
            LatencyPacketsPerSec = latency?.PacketsPerSec,
            LatencyTokenRetransmits = latency?.TokenRetransmits,
            LatencyCpuPercent = latency?.Cpu.Process,
            SaturatedP50Us = saturated.PercentileMicros(50),
            SaturatedP99Us = saturated.PercentileMicros(99),
            Nodes = settings.Nodes,
            Seconds = seconds,
            DatagramSize = options.MaxDatagramSize,
            Keyed = settings.KeyMode is not null,
            KeyMode = settings.KeyModeName,
            WindowSize = options.WindowSize,
            MaxPacketsPerVisit = options.MaxPacketsPerVisit,
            SendQueueCapacity = options.SendQueueCapacity,
            SubmitMode = settings.Submit.ToString().ToLowerInvariant(),
            PerNodeMsgsPerSec = [.. b.Delivered.Select((d, i) => (d - a.Delivered[i]) / seconds)],
            PerNodeSubmittedPerSec = [.. b.Submitted.Select((s, i) => (s - a.Submitted[i]) / seconds)],
            PacketsPerSec = packets / seconds,
            MsgsPerPacket = packets > 0 ? (b.MinDelivered - a.MinDelivered) / (double)packets : null,
            TokenRotationsPerSec = (b.TokensReceivedAtFirst - a.TokensReceivedAtFirst) / seconds,
            PacketsRetransmitted = b.PacketsRetransmitted - a.PacketsRetransmitted,
            TokenRetransmits = b.TokenRetransmits - a.TokenRetransmits,
            TokenLosses = b.TokenLosses - a.TokenLosses,
            Dropped = b.Dropped - a.Dropped,
            CpuPercent = cpu.Process,
            RingThreadsCpuPercent = cpu.Ring,
            SenderThreadsCpuPercent = cpu.Senders,
            MachineCpuPercent = cpu.Machine,
            Gen0Collections = b.Gen0Collections - a.Gen0Collections,
            Gen2Collections = b.Gen2Collections - a.Gen2Collections,
            AllocatedMbPerSec = (b.AllocatedBytes - a.AllocatedBytes) / seconds / 1e6,
            AllocBytesPerMsg = deliveredAtAll > 0 ? (b.AllocatedBytes - a.AllocatedBytes) / (double)deliveredAtAll : null,
            OrderCheck = ordersAgree,
        };
        PrintDetails(result, label, log);
        if (cpu.DisturbanceWarning is { } warning)
        {
            log.WriteLine($"  [{label}] {warning}");
        }

        return result;
    }

    private static async Task<ThroughputRun> MeasureThroughputAsync(BenchSettings settings, RingCluster cluster, int size, ServiceType service, string label, TextWriter log, CancellationToken cancellationToken)
    {
        using var tracer = settings.TraceAllocations ? new AllocationTracer() : null;
        using var load = RingLoad.Saturating(cluster, size, service, settings.Submit, settings.StampEvery, settings.InFlight);
        if (cluster.Sessions.Count > 0 && settings.Prime)
        {
            // Nearly the whole in-flight limit: senders check it every few messages, and some of it
            // may still be on its way through the ring.
            int target = settings.InFlight * 9 / 10;
            var watch = Stopwatch.StartNew();
            bool primed = await cluster.PrimeAsync(target, PrimeTimeout);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  [{label}] primed: readers held back twice until {target:N0} events were queued at every node ({(primed ? "done" : "TIMED OUT")} in {watch.Elapsed.TotalSeconds:F1} s), so that queues and pools have grown before measuring"));
        }

        long start = Stopwatch.GetTimestamp();
        long warmEnd = start + Payload.TicksFromSeconds(settings.Warmup);
        long end = warmEnd + Payload.TicksFromSeconds(settings.Seconds);
        foreach (var probe in cluster.Probes)
        {
            probe.SetWindow(warmEnd, end);
        }

        var previous = RingSnapshot.Take(cluster, load);
        var first = previous;
        var last = previous;
        try
        {
            await Timeline.RunAsync(start, end, [warmEnd], tick =>
            {
                var now = RingSnapshot.Take(cluster, load, readCpu: tick == warmEnd || tick == end);
                double seconds = now.SecondsSince(previous);
                double rate = (now.MinDelivered - previous.MinDelivered) / seconds;
                long delivered = now.Delivered.Sum() - previous.Delivered.Sum();
                double allocated = delivered > 0 ? (now.AllocatedBytes - previous.AllocatedBytes) / (double)delivered : 0;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{label}] {(tick <= warmEnd ? "warm-up" : "measure"),-7} {Timeline.Seconds(start, tick),5:F1}s  {rate,10:N0} msg/s  {rate * size / 1e6,7:F1} MB/s  rot/s {(now.TokensReceivedAtFirst - previous.TokensReceivedAtFirst) / seconds,7:N0}  pkt/s {(now.PacketsSent - previous.PacketsSent) / seconds,7:N0}  retrans +{now.PacketsRetransmitted - previous.PacketsRetransmitted}  tok-retrans +{now.TokenRetransmits - previous.TokenRetransmits}  queued {cluster.MaxBacklog()}  alloc {allocated:F2} B/msg"));
                if (tick == warmEnd)
                {
                    first = now;
                    tracer?.Start();
                }

                last = now;
                previous = now;
            }, cancellationToken);
        }
        finally
        {
            tracer?.Stop();
            await load.StopAsync();
        }

        tracer?.Print(log, label);
        bool drained = await cluster.WaitForQuiescenceAsync(DrainTimeout);
        return new ThroughputRun(first, last, drained && cluster.OrdersAgree());
    }

    private static async Task<LatencyRun> MeasureLatencyAsync(BenchSettings settings, RingCluster cluster, int size, ServiceType service, string label, TextWriter log, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        long from = start + Payload.TicksFromSeconds(LatencyWarmupSeconds);
        long until = from + Payload.TicksFromSeconds(settings.LatencySeconds);
        foreach (var probe in cluster.Probes)
        {
            probe.SetWindow(from, until);
        }

        using var load = RingLoad.Paced(cluster, size, service, settings.Rate, settings.InFlight);
        long previousDelivered = cluster.MinDelivered();
        long previousTick = start;
        RingSnapshot? first = null;
        RingSnapshot? last = null;
        try
        {
            await Timeline.RunAsync(start, until, [from], tick =>
            {
                long delivered = cluster.MinDelivered();
                double rate = (delivered - previousDelivered) / Timeline.Seconds(previousTick, tick);
                long samples = cluster.Probes.Sum(p => p.Histogram(Phase.Latency).Count);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [{label}] latency {Timeline.Seconds(start, tick),5:F1}s  {rate,10:N0} msg/s at {settings.Rate}/s offered  samples {samples}"));
                if (tick == from)
                {
                    first = RingSnapshot.Take(cluster, load);
                }
                else if (tick == until)
                {
                    last = RingSnapshot.Take(cluster, load);
                }

                previousDelivered = delivered;
                previousTick = tick;
            }, cancellationToken);
        }
        finally
        {
            await load.StopAsync();
        }

        bool drained = await cluster.WaitForQuiescenceAsync(DrainTimeout);
        var (a, b) = (first!, last!);
        double seconds = b.SecondsSince(a);
        var cpu = b.Cpu.PercentSince(a.Cpu, seconds);
        if (cpu.DisturbanceWarning is { } warning)
        {
            log.WriteLine($"  [{label}] latency phase: {warning}");
        }

        return new LatencyRun(
            cluster.MergedHistogram(Phase.Latency),
            drained && cluster.OrdersAgree(),
            (b.TokensReceivedAtFirst - a.TokensReceivedAtFirst) / seconds,
            (b.PacketsSent - a.PacketsSent) / seconds,
            b.TokenRetransmits - a.TokenRetransmits,
            cpu);
    }

    private static void PrintDetails(ScenarioResult r, string label, TextWriter log)
    {
        var c = CultureInfo.InvariantCulture;
        log.WriteLine(string.Create(c, $"  [{label}] result: {r.MsgsPerSec:N0} msg/s, {r.MbPerSec:F1} MB/s delivered at all {r.Nodes} nodes over {r.Seconds:F1} s; order check {(r.OrderCheck == true ? "ok" : "FAILED")}"));
        log.WriteLine(string.Create(c, $"  [{label}] per node delivered msg/s: {string.Join(", ", r.PerNodeMsgsPerSec!.Select(v => v.ToString("N0", c)))}; submitted msg/s: {string.Join(", ", r.PerNodeSubmittedPerSec!.Select(v => v.ToString("N0", c)))}"));
        log.WriteLine(string.Create(c, $"  [{label}] ring: {r.TokenRotationsPerSec:N0} rotations/s, {r.PacketsPerSec:N0} packets/s, {r.MsgsPerPacket:F1} msgs/packet, {r.PacketsRetransmitted} retransmitted, {r.TokenRetransmits} token retransmits, {r.TokenLosses} token losses, {r.Dropped} dropped"));
        log.WriteLine(string.Create(c, $"  [{label}] cpu (% of a core, {Environment.ProcessorCount} cores): machine {r.MachineCpuPercent:F0}, process {r.CpuPercent:F0}, ring threads {r.RingThreadsCpuPercent:F0}, senders {r.SenderThreadsCpuPercent:F0}; GCs gen0 {r.Gen0Collections} gen2 {r.Gen2Collections}; allocated {r.AllocatedMbPerSec:F1} MB/s, {r.AllocBytesPerMsg:F2} B per delivered message"));
        log.WriteLine(string.Create(c, $"  [{label}] latency at saturation (queueing): p50 {r.SaturatedP50Us:N0} us, p99 {r.SaturatedP99Us:N0} us"));
        if (r.LatencySamples is long samples)
        {
            log.WriteLine(string.Create(c, $"  [{label}] latency at {r.LatencyRate} msg/s: p50 {r.P50Us:F1} us, p99 {r.P99Us:F1} us, p99.9 {r.P999Us:F1} us, max {r.MaxUs:F1} us ({samples} samples); {r.LatencyRotationsPerSec:N0} rotations/s, {r.LatencyPacketsPerSec:N0} packets/s, {r.LatencyTokenRetransmits} token retransmits, cpu {r.LatencyCpuPercent:F0}%"));
        }
    }

    private sealed record ThroughputRun(RingSnapshot First, RingSnapshot Last, bool OrdersAgree);

    private sealed record LatencyRun(LatencyHistogram Histogram, bool OrdersAgree, double RotationsPerSec, double PacketsPerSec, long TokenRetransmits, ThreadCpu.Usage Cpu);
}
