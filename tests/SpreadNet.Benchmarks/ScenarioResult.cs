namespace SpreadNet.Benchmarks;

/// <summary>
/// One scenario's figures, as written to JSON. A ring message counts once every node delivered
/// it; MB are 10^6 bytes of payload. Fields that do not apply to a scenario are null.
/// </summary>
internal sealed record ScenarioResult
{
    /// <summary>"ring-agreed", "ring-safe", "udp" or "failover".</summary>
    public required string Scenario { get; init; }

    public int? Size { get; init; }

    public double? MsgsPerSec { get; init; }

    public double? MbPerSec { get; init; }

    /// <summary>Latency at the sender under the light fixed load.</summary>
    public double? P50Us { get; init; }

    public double? P99Us { get; init; }

    public double? P999Us { get; init; }

    public double? MaxUs { get; init; }

    public long? LatencySamples { get; init; }

    /// <summary>Messages/s in total during the latency phase.</summary>
    public int? LatencyRate { get; init; }

    /// <summary>Token rotations/s during the latency phase (low when the representative holds an idle token).</summary>
    public double? LatencyRotationsPerSec { get; init; }

    public double? LatencyPacketsPerSec { get; init; }

    public long? LatencyTokenRetransmits { get; init; }

    /// <summary>Percent of one core this process used during the latency phase.</summary>
    public double? LatencyCpuPercent { get; init; }

    /// <summary>Latency at the sender during the saturated throughput phase (mostly queueing).</summary>
    public double? SaturatedP50Us { get; init; }

    public double? SaturatedP99Us { get; init; }

    public int? Nodes { get; init; }

    public required double Seconds { get; init; }

    public required int DatagramSize { get; init; }

    /// <summary>Whether the nodes ran with a cluster key (ring scenarios; null for udp).</summary>
    public bool? Keyed { get; init; }

    /// <summary>The cluster key mode ("aesgcm" or "hmac"); null without a key.</summary>
    public string? KeyMode { get; init; }

    public int? WindowSize { get; init; }

    public int? MaxPacketsPerVisit { get; init; }

    public int? SendQueueCapacity { get; init; }

    public string? SubmitMode { get; init; }

    /// <summary>Messages/s delivered at each node.</summary>
    public IReadOnlyList<double>? PerNodeMsgsPerSec { get; init; }

    /// <summary>Messages/s each node's sender got accepted.</summary>
    public IReadOnlyList<double>? PerNodeSubmittedPerSec { get; init; }

    public double? PacketsPerSec { get; init; }

    public double? MsgsPerPacket { get; init; }

    public double? TokenRotationsPerSec { get; init; }

    public long? PacketsRetransmitted { get; init; }

    public long? TokenRetransmits { get; init; }

    public long? TokenLosses { get; init; }

    public long? Dropped { get; init; }

    /// <summary>Percent of one core: whole process, ring node threads, sender threads.</summary>
    public double? CpuPercent { get; init; }

    public double? RingThreadsCpuPercent { get; init; }

    public double? SenderThreadsCpuPercent { get; init; }

    /// <summary>Percent of one core the whole machine was busy (other processes and softirqs included).</summary>
    public double? MachineCpuPercent { get; init; }

    public int? Gen0Collections { get; init; }

    public int? Gen2Collections { get; init; }

    public double? AllocatedMbPerSec { get; init; }

    /// <summary>Whether every node delivered the same messages in the same order after the load stopped.</summary>
    public bool? OrderCheck { get; init; }

    /// <summary>UDP: datagrams/s the sender got out (the receiver counts what arrived).</summary>
    public double? SentPerSec { get; init; }

    public double? LossPercent { get; init; }

    /// <summary>Failover: the timeout preset ("lan" or "vital").</summary>
    public string? Preset { get; init; }

    /// <summary>Failover: median time from a member's crash to the new regular configuration at every survivor.</summary>
    public double? CrashToViewMs { get; init; }

    /// <summary>Failover: median time from a member's graceful leave to the new regular configuration at every survivor.</summary>
    public double? LeaveToViewMs { get; init; }

    /// <summary>Failover: the slowest of the repetitions.</summary>
    public double? CrashToViewMaxMs { get; init; }

    public double? LeaveToViewMaxMs { get; init; }

    public int? Repetitions { get; init; }
}
