using System.Diagnostics;

namespace SpreadNet.Benchmarks;

/// <summary>Runs a callback once a second and at given instants (Stopwatch timestamps) until an end.</summary>
internal static class Timeline
{
    public static async Task RunAsync(long start, long end, IEnumerable<long> marks, Action<long> onTick, CancellationToken cancellationToken)
    {
        var ticks = new SortedSet<long>(marks.Where(m => m > start && m <= end)) { end };
        for (long t = start + Stopwatch.Frequency; t < end; t += Stopwatch.Frequency)
        {
            ticks.Add(t);
        }

        foreach (long tick in ticks)
        {
            long wait = tick - Stopwatch.GetTimestamp();
            if (wait > 0)
            {
                await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken);
            }

            onTick(tick);
        }
    }

    public static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
}
