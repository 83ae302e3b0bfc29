using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SpreadNet.Benchmarks;

/// <summary>
/// The machine's loopback UDP ceiling: one thread blasts datagrams at a socket on 127.0.0.1 that
/// another thread drains and counts. What arrives per second is the ceiling; the rest is dropped
/// by the kernel when the receiver falls behind.
/// </summary>
internal static class UdpScenario
{
    private const int DefaultSocketBuffer = 4 << 20;

    public static async Task<ScenarioResult> RunAsync(BenchSettings settings, int size, TextWriter log, CancellationToken cancellationToken)
    {
        int buffer = settings.SocketBuffer ?? DefaultSocketBuffer;
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = buffer, ReceiveTimeout = 100 };
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = buffer };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var target = receiver.LocalEndPoint!.Serialize();
        log.WriteLine($"udp {size} B: 1 sender thread -> 1 receiver thread on {receiver.LocalEndPoint}, socket buffers {buffer >> 10} KiB");

        var counters = new UdpCounters();
        var receiving = BenchThread.Start("bench-recv-udp", () => Receive(receiver, counters));
        var sending = BenchThread.Start($"{ThreadCpu.SenderThreadPrefix}-udp", () => Send(sender, target, size, counters));

        long start = Stopwatch.GetTimestamp();
        long warmEnd = start + Payload.TicksFromSeconds(settings.Warmup);
        long end = warmEnd + Payload.TicksFromSeconds(settings.Seconds);
        var previous = counters.Take();
        var first = previous;
        var last = previous;
        try
        {
            await Timeline.RunAsync(start, end, [warmEnd], tick =>
            {
                var now = counters.Take();
                double seconds = Timeline.Seconds(previous.Timestamp, now.Timestamp);
                double rate = (now.Received - previous.Received) / seconds;
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  [udp {size} B] {(tick <= warmEnd ? "warm-up" : "measure"),-7} {Timeline.Seconds(start, tick),5:F1}s  {rate,12:N0} dgram/s  {rate * size / 1e6,8:F1} MB/s  sent {(now.Sent - previous.Sent) / seconds,12:N0}/s"));
                if (tick == warmEnd)
                {
                    first = now;
                }

                last = now;
                previous = now;
            }, cancellationToken);
        }
        finally
        {
            counters.Stop();
            await Task.WhenAll(sending, receiving);
        }

        double elapsed = Timeline.Seconds(first.Timestamp, last.Timestamp);
        double received = (last.Received - first.Received) / elapsed;
        double sent = (last.Sent - first.Sent) / elapsed;
        var cpu = last.Cpu.PercentSince(first.Cpu, elapsed);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  [udp {size} B] result: {received:N0} dgram/s, {received * size / 1e6:F1} MB/s received; sent {sent:N0}/s ({Math.Max(0, 100 * (1 - (received / sent))):F1}% lost); cpu: machine {cpu.Machine:F0}%, process {cpu.Process:F0}%"));
        if (cpu.DisturbanceWarning is { } warning)
        {
            log.WriteLine($"  [udp {size} B] {warning}");
        }

        return new ScenarioResult
        {
            Scenario = "udp",
            Size = size,
            MsgsPerSec = received,
            MbPerSec = received * size / 1e6,
            Seconds = elapsed,
            DatagramSize = size,
            SentPerSec = sent,
            LossPercent = sent > 0 ? Math.Max(0, 100 * (1 - (received / sent))) : null,
            CpuPercent = cpu.Process,
            SenderThreadsCpuPercent = cpu.Senders,
            MachineCpuPercent = cpu.Machine,
        };
    }

    private static void Receive(Socket socket, UdpCounters counters)
    {
        var buffer = new byte[65_536];
        while (!counters.Stopping)
        {
            try
            {
                socket.Receive(buffer);
                counters.Received();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
            {
                // Nothing arrived within the timeout: check for the stop.
            }
        }
    }

    private static void Send(Socket socket, SocketAddress target, int size, UdpCounters counters)
    {
        var payload = new byte[size];
        while (!counters.Stopping)
        {
            try
            {
                socket.SendTo(payload, SocketFlags.None, target);
                counters.Sent();
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.NoBufferSpaceAvailable or SocketError.WouldBlock)
            {
                Thread.Yield();
            }
        }
    }

    /// <summary>Counters of one run; each written by one thread.</summary>
    private sealed class UdpCounters
    {
        private long _sent;
        private long _received;
        private volatile bool _stopping;

        public bool Stopping => _stopping;

        public void Stop() => _stopping = true;

        public void Sent() => Volatile.Write(ref _sent, _sent + 1);

        public void Received() => Volatile.Write(ref _received, _received + 1);

        public (long Timestamp, long Sent, long Received, ThreadCpu.Sample Cpu) Take() =>
            (Stopwatch.GetTimestamp(), Volatile.Read(ref _sent), Volatile.Read(ref _received), ThreadCpu.Read());
    }
}
