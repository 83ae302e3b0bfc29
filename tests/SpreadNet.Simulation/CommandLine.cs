using System.Globalization;

namespace SpreadNet.Simulation;

/// <summary>The simulator's command line (see README.md).</summary>
public sealed record CommandLine
{
    /// <summary>Usage text.</summary>
    public const string Usage = """
        usage: SpreadNet.Simulation [--seeds N] [--start K] [--faults none|network|all] [--groups on|off]
               SpreadNet.Simulation --seed N [--trace] [--faults none|network|all] [--groups on|off]
          --seeds N    run seeds K..K+N-1 in parallel (default 100), last line "N seeds, M violations"
          --start K    first seed of --seeds (default 1)
          --seed N     run one seed and print its scenario, result and violations
          --trace      with --seed: print every send, drop, arrival, timer and delivery
          --faults F   none | network | all (default all: network faults plus crashes, restarts,
                       leaves, partitions, one-way links and new nodes, then a convergence check)
          --groups G   on (default): every node runs the group layer with sessions joining,
                       leaving, multicasting and ending, under the group checkers; off: engines only
        """;

    /// <summary>The single seed to run, or null for a sweep.</summary>
    public int? Seed { get; init; }

    /// <summary>Seeds in a sweep.</summary>
    public int Seeds { get; init; } = 100;

    /// <summary>First seed of a sweep.</summary>
    public int Start { get; init; } = 1;

    /// <summary>Faults injected.</summary>
    public FaultMode Faults { get; init; } = FaultMode.All;

    /// <summary>Whether to trace the single seed.</summary>
    public bool Trace { get; init; }

    /// <summary>Whether the runs have the group workload.</summary>
    public bool Groups { get; init; } = true;

    /// <summary>Parses <paramref name="args"/>; null with <paramref name="error"/> set when they are wrong.</summary>
    public static CommandLine? Parse(IReadOnlyList<string> args, out string? error)
    {
        var line = new CommandLine();
        error = null;
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            string? value = i + 1 < args.Count ? args[i + 1] : null;
            switch (arg)
            {
                case "--trace":
                    line = line with { Trace = true };
                    continue;
                case "--seed" when TryInt(value, 0, out int seed):
                    line = line with { Seed = seed };
                    break;
                case "--seeds" when TryInt(value, 1, out int seeds):
                    line = line with { Seeds = seeds };
                    break;
                case "--start" when TryInt(value, 0, out int start):
                    line = line with { Start = start };
                    break;
                case "--faults" when Enum.TryParse<FaultMode>(value, ignoreCase: true, out var faults) && !int.TryParse(value, out _):
                    line = line with { Faults = faults };
                    break;
                case "--groups" when value is "on" or "off":
                    line = line with { Groups = value == "on" };
                    break;
                default:
                    error = value is null || !arg.StartsWith("--", StringComparison.Ordinal)
                        ? $"unexpected argument '{arg}'"
                        : $"bad value '{value}' for {arg}";
                    return null;
            }

            i++;
        }

        if (line.Trace && line.Seed is null)
        {
            error = "--trace needs --seed N";
            return null;
        }

        if ((long)line.Start + line.Seeds - 1 > int.MaxValue)
        {
            error = "--start + --seeds goes past the largest seed";
            return null;
        }

        return line;
    }

    private static bool TryInt(string? text, int min, out int value) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value) && value >= min;
}
