namespace SpreadNet.Benchmarks;

/// <summary>
/// One scenario's figures, as written to JSON. A ring message counts once every node delivered
/// it; MB are 10^6 bytes of payload. Fields that do not apply to a scenario are null.
/// </summary>
internal sealed record ScenarioResult
{
    /// <summary>"ring" (sessions), "ring-raw" (RingNode's raw API), "udp", "failover", "sidebyside", or "streams-spread", "streams-memory", "streams-broadcast", or "groups-agreed", "groups-safe" (one per service type), "groups-join".</summary>
    public required string Scenario { get; init; }

    /// <summary>Ring: the service type, lower case ("agreed", "safe", ...).</summary>
    public string? Service { get; init; }

    /// <summary>Ring: whether datagrams were authenticated with a cluster key.</summary>
    public bool? Keyed { get; init; }

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

    /// <summary>The ring's datagram size; null for streams transports without a ring.</summary>
    public int? DatagramSize { get; init; }

    /// <summary>The cluster key mode ("gmac", "aesgcm" or "hmac"); null without a key.</summary>
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

    /// <summary>
    /// Bytes allocated by the whole process (GC.GetTotalAllocatedBytes(precise: true)) during the
    /// measured window, divided by the messages delivered in it summed over the nodes (each node's
    /// delivery of a message counts once).
    /// </summary>
    public double? AllocBytesPerMsg { get; init; }

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

    /// <summary>Sidebyside: vital ring latency, submit to delivery at the other vital nodes, bulk ring idle.</summary>
    public double? VitalAloneP50Ms { get; init; }

    public double? VitalAloneP99Ms { get; init; }

    public double? VitalAloneMaxMs { get; init; }

    /// <summary>Sidebyside: the same with the bulk ring saturated (its figures in Size, MsgsPerSec, MbPerSec, TokenLosses).</summary>
    public double? VitalBulkP50Ms { get; init; }

    public double? VitalBulkP99Ms { get; init; }

    public double? VitalBulkMaxMs { get; init; }

    /// <summary>Sidebyside: deliveries measured per phase (messages times receiving nodes), and those that never arrived.</summary>
    public int? VitalSamples { get; init; }

    public int? VitalMissing { get; init; }

    public int? VitalRate { get; init; }

    public long? VitalTokenLosses { get; init; }

    /// <summary>Sidebyside: bulk messages from first offered to delivered (mostly waiting in full send queues).</summary>
    public double? BulkP50Ms { get; init; }

    public double? BulkP99Ms { get; init; }

    /// <summary>Sidebyside: bulk submissions that waited for room in the send queue (the ring was the bottleneck).</summary>
    public long? BulkSubmitWaits { get; init; }

    /// <summary>Streams: events/s delivered to the slowest subscriber with producers flat out; groups: messages/s to the slowest member with senders flat out.</summary>
    public double? EventsPerSec { get; init; }

    /// <summary>
    /// Streams: events produced in the throughput phase (warm-up included) over the time from its
    /// start until every subscriber had them all: what the transport sustains end to end, backlog
    /// included. Null when the subscribers did not catch up within a minute.
    /// </summary>
    public double? SustainedEventsPerSec { get; init; }

    /// <summary>Streams: events/s delivered to each subscriber (one per silo); groups: messages/s to each member.</summary>
    public IReadOnlyList<double>? PerSubscriberEventsPerSec { get; init; }

    /// <summary>Streams: producer grains per silo in the throughput phase (one event in flight each); groups: send loops per silo.</summary>
    public int? ProducersPerSilo { get; init; }

    /// <summary>Streams: events the transport refused (MemoryStreams past 16,384 queued).</summary>
    public long? Rejected { get; init; }

    /// <summary>Streams: percent of one core the whole process (3 silos) used while idle at the end of the run (after a 3 s pause).</summary>
    public double? IdleCpuPercent { get; init; }

    /// <summary>Streams (groups): whether every subscriber (member) received every event produced, within a minute of the producers stopping.</summary>
    public bool? Drained { get; init; }

    /// <summary>Groups: members of the group (grains on every silo, and the client's object if any).</summary>
    public int? GroupMembers { get; init; }

    /// <summary>Groups: whether a client's member object was one of them.</summary>
    public bool? ClientMember { get; init; }

    /// <summary>Groups: most messages issued and not yet delivered to every member while flat out.</summary>
    public int? InFlightLimit { get; init; }

    /// <summary>Groups, join: how long the newcomer's JoinAsync itself took (it completes once the join is ordered).</summary>
    public double? JoinCallP50Us { get; init; }

    public double? JoinCallP99Us { get; init; }
}
