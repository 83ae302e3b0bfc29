using System.Globalization;

namespace SpreadNet.Benchmarks;

/// <summary>The final table of every scenario's headline figures.</summary>
internal static class TablePrinter
{
    private static readonly string[] Headers = ["scenario", "key", "size", "nodes", "msgs/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "sat p50 us", "rot/s", "retrans", "cpu %", "mach %"];
    private static readonly string[] FailoverHeaders = ["scenario", "preset", "nodes", "crash->view ms", "(max)", "leave->view ms", "(max)"];

    public static void Print(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        var failovers = results.Where(r => r.Scenario == "failover").ToList();
        PrintThroughput([.. results.Except(failovers)], output);
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

    private static void PrintThroughput(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        if (results.Count == 0)
        {
            return;
        }

        var rows = results.Select(r => new[]
        {
            r.Scenario,
            r.KeyMode ?? "-",
            r.Size is int size ? Int(size) : "-",
            r.Nodes is int n ? Int(n) : "-",
            Number(r.MsgsPerSec, "N0"),
            Number(r.MbPerSec, "N1"),
            Number(r.P50Us, "N0"),
            Number(r.P99Us, "N0"),
            Number(r.P999Us, "N0"),
            Number(r.SaturatedP50Us, "N0"),
            Number(r.TokenRotationsPerSec, "N0"),
            r.PacketsRetransmitted is long p ? Int(p) : "-",
            Number(r.CpuPercent, "N0"),
            Number(r.MachineCpuPercent, "N0"),
        }).ToList();

        PrintRows(Headers, rows, output);
        output.WriteLine("p50/p99/p99.9: submit to delivery at the sender under the light load; sat p50: the same at saturation;");
        output.WriteLine("rot/s: token rotations; cpu %: this process, mach %: whole machine, in % of one core.");
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
