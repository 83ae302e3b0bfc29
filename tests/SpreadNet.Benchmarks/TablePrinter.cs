using System.Globalization;

namespace SpreadNet.Benchmarks;

/// <summary>The final table of every scenario's headline figures.</summary>
internal static class TablePrinter
{
    private static readonly string[] Headers = ["scenario", "size", "nodes", "msgs/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "sat p50 us", "rot/s", "retrans", "cpu %", "mach %"];

    public static void Print(IReadOnlyList<ScenarioResult> results, TextWriter output)
    {
        var rows = results.Select(r => new[]
        {
            r.Scenario,
            Int(r.Size),
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

        int[] widths = [.. Headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length)))];
        output.WriteLine();
        output.WriteLine(Line(Headers, widths));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        rows.ForEach(r => output.WriteLine(Line(r, widths)));
        output.WriteLine("p50/p99/p99.9: submit to delivery at the sender under the light load; sat p50: the same at saturation;");
        output.WriteLine("rot/s: token rotations; cpu %: this process, mach %: whole machine, in % of one core.");
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join(" | ", cells.Select((c, i) => i == 0 ? c.PadRight(widths[i]) : c.PadLeft(widths[i])));

    private static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Number(double? value, string format) =>
        value is double v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
}
