using System.Globalization;

namespace SpreadNet.Simulation;

/// <summary>The verbose trace of one run (<c>--trace</c>): every send, drop, arrival, timer and delivery.</summary>
public sealed class TraceLog
{
    private readonly TextWriter? _writer;

    /// <summary>Creates a trace writing to <paramref name="writer"/>, or a disabled one when null.</summary>
    public TraceLog(TextWriter? writer) => _writer = writer;

    /// <summary>A trace that writes nothing.</summary>
    public static TraceLog Disabled { get; } = new(null);

    /// <summary>Whether lines are written; callers skip building them otherwise.</summary>
    public bool Enabled => _writer is not null;

    /// <summary>Writes one line stamped with the simulated time.</summary>
    public void Write(long now, string line) =>
        _writer?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{now / 1_000_000}.{now % 1_000_000:D6} {line}"));
}
