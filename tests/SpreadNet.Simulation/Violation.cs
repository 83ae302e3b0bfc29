namespace SpreadNet.Simulation;

/// <summary>A broken property: which checker saw it, when, and what.</summary>
public sealed record Violation(int Seed, string Checker, long TimeMicros, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"seed {Seed}: [{Checker}] at {TimeMicros / 1000.0:F3}ms: {Message}";
}
