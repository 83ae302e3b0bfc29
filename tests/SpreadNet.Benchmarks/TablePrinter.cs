using System.Globalization;

namespace SpreadNet.Benchmarks;

/// <summary>The final table of every scenario's headline figures.</summary>
internal static class TablePrinter
{
    private static readonly string[] Headers = ["scenario", "service", "key", "size", "nodes", "msgs/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "sat p50 us", "alloc B/msg", "rot/s", "retrans", "cpu %", "mach %"];
    private static readonly string[] SideBySideHeaders = ["scenario", "nodes", "vital msg/s", "alone p50 ms", "alone p99 ms", "bulk p50 ms", "bulk p99 ms", "bulk max ms", "missing", "bulk size", "bulk MB/s", "bulk msg p50 ms", "losses v/b"];
    private static readonly string[] StreamsHeaders = ["scenario", "events/s", "per subscriber", "sustained/s", "p50 us", "p99 us", "p99.9 us", "max us", "sat p50 us", "sat p99 us", "idle cpu %", "cpu %", "mach %", "rejected", "drained"];
    private static readonly string[] GroupsHeaders = ["scenario", "members", "msg/s", "per member", "p50 us", "p99 us", "p99.9 us", "max us", "sat p50 us", "sat p99 us", "join call p50 us", "B/delivery", "cpu %", "mach %", "drained"];
    private static readonly string[] FailoverHeaders = ["scenario", "preset", "nodes", "crash->view ms", "(max)", "leave->view ms", "(max)"];

    public static void Print(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        var failovers = results.Where(r => r.Scenario == "failover").ToList();
        var sideBySide = results.Where(r => r.Scenario == "sidebyside").ToList();
        var streams = results.Where(r => r.Scenario.StartsWith("streams-", StringComparison.Ordinal)).ToList();
        var groups = results.Where(r => r.Scenario.StartsWith("groups-", StringComparison.Ordinal)).ToList();
        PrintThroughput([.. results.Except(failovers).Except(sideBySide).Except(streams).Except(groups)], output);
        PrintStreams(streams, output);
        PrintGroups(groups, output);
        PrintSideBySide(sideBySide, output);
        if (failovers.Count > 0)
        {
            var rows = failovers.Select(r => new[]
            {
                r.Scenario, r.Preset ?? "-", r.Nodes is int n ? Int(n) : "-",
                Number(r.CrashToViewMs, "N1"), Number(r.CrashToViewMaxMs, "N1"), Number(r.LeaveToViewMs, "N1"), Number(r.LeaveToViewMaxMs, "N1"),
            }).ToList();
            PrintRows(FailoverHeaders, rows, output);
            output.WriteLine("crash->view: a member stops without a word; leave->view: it leaves gracefully; until every survivor delivered the new regular configuration (median and max of the repetitions).");
        }
    }

    private static void PrintSideBySide(List<ScenarioResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new[]
        {
            r.Scenario, r.Nodes is int n ? Int(n) : "-", r.VitalRate is int rate ? Int(rate) : "-",
            Number(r.VitalAloneP50Ms, "N3"), Number(r.VitalAloneP99Ms, "N3"), Number(r.VitalBulkP50Ms, "N3"), Number(r.VitalBulkP99Ms, "N3"), Number(r.VitalBulkMaxMs, "N1"),
            r.VitalMissing is int missing ? Int(missing) : "-", r.Size is int size ? Int(size) : "-", Number(r.MbPerSec, "N0"), Number(r.BulkP50Ms, "N1"),
            $"{r.VitalTokenLosses}/{r.TokenLosses}",
        }).ToList();
        PrintRows(SideBySideHeaders, rows, output);
        output.WriteLine("vital: submit at one node to delivery at each other node of the vital ring, alone and beside the saturated bulk ring;");
        output.WriteLine("bulk MB/s: payload delivered at every bulk node meanwhile; bulk msg: a bulk message's own submit to delivery");
        output.WriteLine("(mostly queueing: what vital messages would wait if they shared a queue with it); losses: token losses, vital / bulk ring.");
    }

    private static void PrintStreams(List<ScenarioResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new[]
        {
            r.Scenario, Number(r.EventsPerSec, "N0"),
            r.PerSubscriberEventsPerSec is { } per ? string.Join("/", per.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))) : "-",
            Number(r.SustainedEventsPerSec, "N0"),
            Number(r.P50Us, "N0"), Number(r.P99Us, "N0"), Number(r.P999Us, "N0"), Number(r.MaxUs, "N0"),
            Number(r.SaturatedP50Us, "N0"), Number(r.SaturatedP99Us, "N0"),
            Number(r.IdleCpuPercent, "N1"), Number(r.CpuPercent, "N0"), Number(r.MachineCpuPercent, "N0"),
            r.Rejected is long rejected ? Int(rejected) : "-", r.Drained is bool drained ? (drained ? "yes" : "NO") : "-",
        }).ToList();
        PrintRows(StreamsHeaders, rows, output);
        output.WriteLine("3 silos in one process, one stream, one subscriber grain per silo. events/s: delivered to the slowest subscriber with");
        output.WriteLine("producers flat out (one event in flight each), in the measured window; sustained/s: all the phase produced over the time");
        output.WriteLine("until the slowest subscriber had it all (backlog included); p50/p99: end to end (event stamp to subscriber) at the light load;");
        output.WriteLine("sat: the same while flat out; idle cpu %: the 3-silo process idle, in % of one core; cpu/mach %: during the throughput window.");
    }

    private static void PrintGroups(List<ScenarioResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new[]
        {
            r.Scenario, r.GroupMembers is int m ? Int(m) + (r.ClientMember == true ? " (1 client)" : "") : "-",
            Number(r.EventsPerSec, "N0"),
            r.PerSubscriberEventsPerSec is { } per ? string.Join("/", per.Select(v => v.ToString("N0", CultureInfo.InvariantCulture))) : "-",
            Number(r.P50Us, "N0"), Number(r.P99Us, "N0"), Number(r.P999Us, "N0"), Number(r.MaxUs, "N0"),
            Number(r.SaturatedP50Us, "N0"), Number(r.SaturatedP99Us, "N0"), Number(r.JoinCallP50Us, "N0"), Number(r.AllocBytesPerMsg, "N0"),
            Number(r.CpuPercent, "N0"), Number(r.MachineCpuPercent, "N0"),
            r.Drained is bool drained ? (drained ? "yes" : "NO") : "-",
        }).ToList();
        PrintRows(GroupsHeaders, rows, output);
        output.WriteLine("3 silos in one process, one group. msg/s: delivered to the slowest member with senders (member grains) flat out, each loop");
        output.WriteLine("awaiting its MulticastAsync, in-flight bounded; p50/p99: MulticastAsync to each member's OnGroupMessageAsync at the light load;");
        output.WriteLine("sat: the same while flat out; groups-join: p50/p99/max are a newcomer's JoinAsync start to the view with it at every member,");
        output.WriteLine("join call: JoinAsync itself; B/delivery: bytes the process allocated per message delivered to a member while flat out; cpu/mach %: during the throughput window, in % of one core.");
    }

    private static void PrintThroughput(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new[]
        {
            r.Scenario,
            r.Service ?? "-",
            r.KeyMode ?? "-",
            r.Size is int size ? Int(size) : "-",
            r.Nodes is int n ? Int(n) : "-",
            Number(r.MsgsPerSec, "N0"),
            Number(r.MbPerSec, "N1"),
            Number(r.P50Us, "N0"),
            Number(r.P99Us, "N0"),
            Number(r.P999Us, "N0"),
            Number(r.SaturatedP50Us, "N0"),
            Number(r.AllocBytesPerMsg, "N2"),
            Number(r.TokenRotationsPerSec, "N0"),
            r.PacketsRetransmitted is long p ? Int(p) : "-",
            Number(r.CpuPercent, "N0"),
            Number(r.MachineCpuPercent, "N0"),
        }).ToList();

        PrintRows(Headers, rows, output);
        output.WriteLine("p50/p99/p99.9: submit to delivery at the sender under the light load; sat p50: the same at saturation;");
        output.WriteLine("alloc B/msg: bytes the process allocated while measuring throughput, per message delivered (summed over nodes);");
        output.WriteLine("ring: through sessions, ring-raw: RingNode's raw API; rot/s: token rotations; cpu %: this process, mach %: whole machine, in % of one core.");
    }

    private static void PrintRows(string[] headers, List<string[]> rows, TextWriter output)
    {
        int[] widths = [.. headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))];
        output.WriteLine();
        output.WriteLine(Line(headers, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        rows.ForEach(r => output.WriteLine(Line(r, widths)));
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
