namespace SpreadNet.Simulation;

/// <summary>
/// Independent, reproducible random streams derived from one seed: the scenario's knobs, the
/// workload and the network each draw from their own stream, so changing one knob in a test does
/// not reshuffle the others.
/// </summary>
public static class RandomStreams
{
    /// <summary>Stream of the scenario's knobs.</summary>
    public const int Knobs = 0;

    /// <summary>Stream of node ids.</summary>
    public const int NodeIds = 1;

    /// <summary>Stream of submissions.</summary>
    public const int Workload = 2;

    /// <summary>Stream of network faults and delays.</summary>
    public const int Network = 3;

    /// <summary>Stream of the knobs only membership faults use (timeouts, bootstrap, phase lengths).</summary>
    public const int Membership = 4;

    /// <summary>Stream of the membership fault plan (crashes, restarts, partitions, ...).</summary>
    public const int Faults = 5;

    /// <summary>Stream of the group workload's knobs and the times of its session actions.</summary>
    public const int Groups = 6;

    /// <summary>Stream the sessions' actions draw from as the run goes (which session, what it does).</summary>
    public const int GroupActions = 7;

    /// <summary>A generator for stream <paramref name="stream"/> of <paramref name="seed"/>.</summary>
    public static Random Create(int seed, int stream) => new(Mix(seed, stream));

    /// <summary>Uniform double in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static double NextDouble(this Random random, double min, double max) => min + (random.NextDouble() * (max - min));

    /// <summary>True with probability <paramref name="p"/>; draws nothing when p is zero.</summary>
    public static bool Chance(this Random random, double p) => p > 0 && random.NextDouble() < p;

    private static int Mix(int seed, int stream)
    {
        // SplitMix64 finaliser over (seed, stream): well-spread, platform-independent.
        ulong z = ((ulong)(uint)seed << 8) + (ulong)stream + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & 0x7FFF_FFFF);
    }
}
