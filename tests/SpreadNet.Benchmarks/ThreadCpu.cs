using System.Diagnostics;
using System.Globalization;

namespace SpreadNet.Benchmarks;

/// <summary>
/// CPU time of the process split by thread role, from /proc/self/task/*/stat on Linux (10 ms
/// resolution; zeros elsewhere): ring node event loops, benchmark senders, everything else; and
/// the whole machine's busy time from /proc/stat, to tell a run disturbed by other processes.
/// </summary>
internal static class ThreadCpu
{
    public const string SenderThreadPrefix = "bench-send";
    private const string RingThreadPrefix = "SpreadNet ring";
    private const double ClockTicksPerSecond = 100;

    public readonly record struct Sample(TimeSpan Process, double RingSeconds, double SenderSeconds, double MachineBusySeconds)
    {
        /// <summary>Percent of one core used by each role between <paramref name="earlier"/> and this sample, over <paramref name="seconds"/>.</summary>
        public Usage PercentSince(Sample earlier, double seconds) =>
            new(100 * (Process - earlier.Process).TotalSeconds / seconds,
                100 * (RingSeconds - earlier.RingSeconds) / seconds,
                100 * (SenderSeconds - earlier.SenderSeconds) / seconds,
                100 * (MachineBusySeconds - earlier.MachineBusySeconds) / seconds);
    }

    /// <summary>Percent of one core; <see cref="Machine"/> counts every process and the kernel's own work (softirqs).</summary>
    public readonly record struct Usage(double Process, double Ring, double Senders, double Machine)
    {
        /// <summary>A warning when other processes took more than a fifth of a core, else null.</summary>
        public string? DisturbanceWarning => Machine - Process > 20
            ? $"WARNING: other processes (or the kernel) used {Machine - Process:F0}% of a core during the measurement: figures are disturbed"
            : null;
    }

    public static Sample Read()
    {
        using var process = Process.GetCurrentProcess();
        var total = process.TotalProcessorTime;
        double ring = 0, senders = 0;
        if (OperatingSystem.IsLinux())
        {
            foreach (string task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (TryReadTask(task, out string name, out double seconds))
                {
                    if (name.StartsWith(RingThreadPrefix, StringComparison.Ordinal))
                    {
                        ring += seconds;
                    }
                    else if (name.StartsWith(SenderThreadPrefix, StringComparison.Ordinal))
                    {
                        senders += seconds;
                    }
                }
            }
        }

        return new Sample(total, ring, senders, MachineBusySeconds());
    }

    /// <summary>Busy time of all CPUs: the first line of /proc/stat minus idle and iowait.</summary>
    private static double MachineBusySeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        using var reader = new StreamReader("/proc/stat");
        string[] fields = (reader.ReadLine() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        for (int i = 1; i < fields.Length && i <= 8; i++)
        {
            if (i is not 4 and not 5)
            {
                busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
            }
        }

        return busy / ClockTicksPerSecond;
    }

    private static bool TryReadTask(string task, out string name, out double seconds)
    {
        name = "";
        seconds = 0;
        string stat;
        try
        {
            stat = File.ReadAllText(Path.Combine(task, "stat"));
        }
        catch (IOException)
        {
            return false; // the thread ended meanwhile
        }

        int open = stat.IndexOf('(', StringComparison.Ordinal);
        int close = stat.LastIndexOf(')');
        if (open < 0 || close < open)
        {
            return false;
        }

        name = stat[(open + 1)..close];
        string[] fields = stat[(close + 2)..].Split(' ');
        if (fields.Length < 13)
        {
            return false;
        }

        // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after the name.
        seconds = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicksPerSecond;
        return true;
    }
}
