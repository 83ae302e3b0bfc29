using SpreadNet.Ring;

namespace SpreadNet.Testing.SideBySide;

/// <summary>
/// Two rings in one process: a "bulk" ring saturated by large messages and a "vital" ring carrying
/// a light stream of small ones, whose end-to-end latency is measured without and with the bulk load.
/// </summary>
internal sealed record SideBySideOptions
{
    public int BulkNodes { get; init; } = 3;

    /// <summary>Concurrent submitters per bulk node, each awaiting SubmitAsync (backpressure) in a loop.</summary>
    public int BulkSubmittersPerNode { get; init; } = 2;

    public int BulkMessageSize { get; init; } = 8 * 1024;

    public RingPreset BulkPreset { get; init; } = RingPreset.Lan;

    public int VitalNodes { get; init; } = 3;

    public int VitalMessageSize { get; init; } = 100;

    /// <summary>Messages per second the vital ring's first node sends.</summary>
    public int VitalRate { get; init; } = 200;

    public RingPreset VitalPreset { get; init; } = RingPreset.Vital;

    /// <summary>
    /// Both loads before the first measurement, not measured: the runtime compiles the hot paths
    /// again, optimised, in the first seconds, and installing that code pauses every thread now
    /// and then, longer on a busy machine.
    /// </summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>From starting the bulk submitters to measuring: until the bulk ring runs at full speed.</summary>
    public TimeSpan BulkRampUp { get; init; } = TimeSpan.FromSeconds(0.5);

    /// <summary>Length of each measured phase (vital alone, vital beside the saturated bulk ring).</summary>
    public TimeSpan Phase { get; init; } = TimeSpan.FromSeconds(3);
}
