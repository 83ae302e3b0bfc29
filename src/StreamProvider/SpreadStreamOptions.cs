using SpreadNet.Ring;

namespace SpreadNet.StreamProvider;

/// <summary>
/// Settings of one Spread stream provider (<c>AddSpreadStreams(name, ...)</c>). The provider's
/// queues are made of a Spread ring: every silo receives every event in one total order and keeps
/// it in a per-queue buffer; the silo owning a queue hands its events to Orleans' pulling agent.
/// </summary>
public sealed class SpreadStreamOptions
{
    /// <summary>Default of <see cref="RingName"/>.</summary>
    public const string DefaultRingName = "streams";

    /// <summary>
    /// The Spread ring carrying the events (added with <c>AddSpreadRing</c>). Default "streams";
    /// when the silo has no ring of that name when <c>AddSpreadStreams</c> is called, one is added
    /// with default settings. Silo only.
    /// </summary>
    public string RingName { get; set; } = DefaultRingName;

    /// <summary>
    /// How events are ordered on the ring: <see cref="ServiceType.Agreed"/> (the default: total order,
    /// delivered as soon as ordered) or <see cref="ServiceType.Safe"/> (delivered once every silo of
    /// the ring has it; slower).
    /// </summary>
    public ServiceType ServiceType { get; set; } = ServiceType.Agreed;

    /// <summary>Number of queues streams are spread over (Orleans' hash-ring queue mapper). Default 8. The same on silos and clients.</summary>
    public int QueueCount { get; set; } = 8;

    /// <summary>Events of each queue kept in the pulling agent's cache for rewinding subscriptions. Default 4,096.</summary>
    public int CacheSize { get; set; } = 4096;

    /// <summary>
    /// Most events the pulling agent hands a subscriber in one grain call: consecutive cached
    /// batches of the subscriber's stream (each one producer call) are merged into one delivery of
    /// at most this many events, without waiting for more. Every event still reaches item observers
    /// on its own with its own token, in order; a batch observer gets the merged events in one call.
    /// Larger values cut the per-call cost (several times the throughput of 1 when a stream is busy),
    /// but a subscriber that throws makes Orleans retry, then skip, the whole merged delivery: events
    /// before the failing one are seen again on each retry and those after it in the same delivery
    /// are skipped with it. 1: one producer call per delivery, as Orleans' own providers do. Default 1.
    /// </summary>
    public int DeliveryBatchSize { get; set; } = 1;

    /// <summary>
    /// The bound of each silo's buffer of a queue, in events. Undelivered events (past the queue's
    /// watermark) are never dropped: when a queue holds this many, producers of its streams wait in
    /// <c>OnNextAsync</c> until the queue's reader delivers (backpressure, never an exception).
    /// Delivered events are kept for failover while the buffer holds fewer than this many. Default
    /// 16,384.
    /// </summary>
    public int RetentionCount { get; set; } = 16_384;

    /// <summary>The bound of each silo's buffer of a queue in bytes of serialised batches, applied as <see cref="RetentionCount"/> is. Default 64 MiB.</summary>
    public long RetentionBytes { get; set; } = 64L << 20;

    /// <summary>Age after which a delivered event is dropped from a silo's buffer (undelivered ones are kept). Default 5 minutes.</summary>
    public TimeSpan RetentionAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a queue's owner multicasts its delivered-up-to watermark (only when it moved), and
    /// so roughly how many events a subscriber may see twice after a failover. Default 100 ms.
    /// </summary>
    public TimeSpan WatermarkInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Longest time a queue's receiver that has no event to hand out waits for the ring to deliver
    /// the next one before it answers Orleans' pulling agent with nothing. An event that arrives
    /// meanwhile goes to the agent at once, so subscribers get events as the ring delivers them
    /// rather than at the agent's next poll; after an empty answer the agent polls again after
    /// its period (<see cref="DefaultPollPeriod"/>). The wait holds no thread, and stopping the
    /// silo or moving the queue ends it. Zero: no waiting, latency is up to one poll period.
    /// Default 1 s.
    /// </summary>
    public TimeSpan MaxReceiveWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Pulling-agent poll period set by this provider (Orleans' own default is 100 ms): how long the
    /// agent pauses after a receiver answered with nothing (see <see cref="MaxReceiveWait"/>).
    /// </summary>
    public static readonly TimeSpan DefaultPollPeriod = TimeSpan.FromMilliseconds(5);
}
