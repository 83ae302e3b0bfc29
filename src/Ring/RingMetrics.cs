namespace SpreadNet.Ring;

/// <summary>
/// Names under which ring nodes publish metrics (System.Diagnostics.Metrics): subscribe to
/// <see cref="MeterName"/>, for example with OpenTelemetry's <c>AddMeter("SpreadNet.Ring")</c>.
/// Each node has its own meter, tagged (and each of its measurements tagged) with
/// <see cref="NodeTag"/> and <see cref="RingNameTag"/>; the instruments are listed in the README.
/// </summary>
public static class RingMetrics
{
    /// <summary>The meter name: "SpreadNet.Ring".</summary>
    public const string MeterName = "SpreadNet.Ring";

    /// <summary>Tag naming the node by its endpoint, for example "10.0.0.1:4803".</summary>
    public const string NodeTag = "spreadnet.ring.node";

    /// <summary>Tag naming the ring (<see cref="RingOptions.Name"/>).</summary>
    public const string RingNameTag = "spreadnet.ring.name";
}
