namespace SpreadNet.Simulation;

/// <summary>The outcome of one run.</summary>
public sealed record SimulationResult
{
    /// <summary>The scenario that ran.</summary>
    public required Scenario Scenario { get; init; }

    /// <summary>Broken properties; empty when the run passed.</summary>
    public required IReadOnlyList<Violation> Violations { get; init; }

    /// <summary>Events processed.</summary>
    public long Steps { get; init; }

    /// <summary>Simulated time when the run stopped.</summary>
    public long EndMicros { get; init; }

    /// <summary>Simulated time at which the liveness goal was met (static ring: the last message reached its last node; membership faults: every probe delivered in one ring of every live node), or -1.</summary>
    public long ConvergedMicros { get; init; }

    /// <summary>With membership faults: when the live nodes first formed one ring of all of them after the heal, or -1.</summary>
    public long RingFormedMicros { get; init; } = -1;

    /// <summary>With membership faults: most regular configurations one node installed after the last fault.</summary>
    public int ReformationsAfterHeal { get; init; }

    /// <summary>Regular configurations installed, summed over nodes.</summary>
    public int RegularConfigurations { get; init; }

    /// <summary>Membership fault actions in the plan.</summary>
    public int Faults { get; init; }

    /// <summary>Workload submissions dropped because their node was not running.</summary>
    public int SkippedSubmissions { get; init; }

    /// <summary>Messages submitted.</summary>
    public int Messages { get; init; }

    /// <summary>Deliveries summed over nodes.</summary>
    public long Deliveries { get; init; }

    /// <summary>Size of the largest message delivered.</summary>
    public int LargestDelivered { get; init; }

    /// <summary>Hash of every delivery (node, message, position, time): equal for two runs of one seed.</summary>
    public ulong Fingerprint { get; init; }

    /// <summary>What the network did.</summary>
    public required NetworkStats Network { get; init; }

    /// <summary>Token retransmissions summed over nodes.</summary>
    public long TokenRetransmits { get; init; }

    /// <summary>Data packets retransmitted on request, summed over nodes.</summary>
    public long PacketRetransmits { get; init; }

    /// <summary>Most submissions that waited for room in one node's outbound queue.</summary>
    public int MaxBacklog { get; init; }

    /// <summary>Datagrams the engines dropped (duplicates, stale tokens, outside the window, ...), summed over nodes.</summary>
    public long EngineDrops { get; init; }

    /// <summary>What the group workload did; null without one.</summary>
    public Groups.GroupStats? Groups { get; init; }

    /// <summary>Whether no property was broken.</summary>
    public bool Passed => Violations.Count == 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"seed {Scenario.Seed}: {(Passed ? "ok" : $"{Violations.Count} violation(s)")}, {Messages} messages, {Deliveries} deliveries, converged at {ConvergedMicros / 1000.0:F1}ms{(Faults > 0 ? $" (one ring at {RingFormedMicros / 1000.0:F1}ms, {Faults} faults, {RegularConfigurations} regular configurations, {SkippedSubmissions} submissions skipped at stopped nodes)" : "")}, ended at {EndMicros / 1000.0:F1}ms after {Steps} steps; network {Network}; token retransmits {TokenRetransmits}, packet retransmits {PacketRetransmits}, engine drops {EngineDrops}, largest message {LargestDelivered}B, max backlog {MaxBacklog}{(Groups is null ? "" : $"; groups: {Groups}")}; fingerprint {Fingerprint:x16}";
}
