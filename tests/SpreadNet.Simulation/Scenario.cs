using System.Globalization;
using System.Text;
using SpreadNet.Ring.Totem;
using SpreadNet.Simulation.Groups;

namespace SpreadNet.Simulation;

/// <summary>
/// Every knob of one simulated run. <see cref="FromSeed"/> draws them all from the seed; tests
/// start from that and override single knobs with <c>with</c>.
/// </summary>
public sealed record Scenario
{
    /// <summary>Largest message any scenario submits; the engines' MaxMessageSize where the receive window allows it.</summary>
    public const int MaxMessageSize = 64 * 1024;

    /// <summary>The seed every random stream of the run derives from.</summary>
    public required int Seed { get; init; }

    /// <summary>Which faults the safety phase injects.</summary>
    public FaultMode Faults { get; init; } = FaultMode.All;

    /// <summary>Ring members, 2 to 7.</summary>
    public int NodeCount { get; init; } = 3;

    /// <summary>The engines' settings (the same at every node).</summary>
    public TotemSettings Settings { get; init; } = new() { MaxDatagramSize = 1400, MaxMessageSize = MaxMessageSize };

    /// <summary>Packets a node's outbound queue holds before submitters must wait.</summary>
    public int SendQueueCapacity { get; init; } = 64;

    /// <summary>Probability that a datagram is lost (safety phase).</summary>
    public double LossRate { get; init; }

    /// <summary>Probability that a datagram arrives twice (safety phase).</summary>
    public double DuplicationRate { get; init; }

    /// <summary>Fixed one-way delay of every datagram.</summary>
    public long BaseDelayMicros { get; init; } = 200;

    /// <summary>Random extra delay of up to this much per datagram, which reorders them (safety phase).</summary>
    public long JitterMicros { get; init; }

    /// <summary>Links that drop or delay everything for a while (safety phase).</summary>
    public IReadOnlyList<LinkClog> Clogs { get; init; } = [];

    /// <summary>Messages submitted, all during the safety phase.</summary>
    public int MessageCount { get; init; } = 200;

    /// <summary>Share of messages sent with Safe service (the rest Agreed).</summary>
    public double SafeFraction { get; init; } = 0.5;

    /// <summary>Share of messages between a few hundred bytes and one datagram.</summary>
    public double MediumFraction { get; init; } = 0.2;

    /// <summary>Share of messages larger than a datagram (fragmented), up to <see cref="MaxMessageSize"/>.</summary>
    public double LargeFraction { get; init; } = 0.03;

    /// <summary>Largest message the workload submits (sizes drawn above it are cut down to it).</summary>
    public int MessageSizeCap { get; init; } = MaxMessageSize;

    /// <summary>Share of messages submitted in bursts (which fill the outbound queues) instead of spread out.</summary>
    public double BurstFraction { get; init; } = 0.3;

    /// <summary>Submissions happen in [0, this): short spans make storms that saturate the ring.</summary>
    public long SubmitSpanMicros { get; init; } = 1_800_000;

    /// <summary>Length of the safety phase: faults and submissions happen in it.</summary>
    public long SafetyMicros { get; init; } = 2_000_000;

    /// <summary>After the safety phase, every message must be delivered everywhere within this much simulated time.</summary>
    public long LivenessBoundMicros { get; init; } = 30_000_000;

    /// <summary>Membership faults (crashes, restarts, partitions, ...); empty in the network-only modes.</summary>
    public FaultPlan Plan { get; init; } = FaultPlan.None;

    /// <summary>How the initial nodes start: a static ring, or each gathering with the others.</summary>
    public BootstrapMode Bootstrap { get; init; } = BootstrapMode.Static;

    /// <summary>With <see cref="BootstrapMode.Joining"/>: whether the first ring sequence floor is the wall clock (else 0, an empty disk).</summary>
    public bool InitialFloorFromClock { get; init; }

    /// <summary>Messages each live node submits once the live nodes form one ring, which every live node must deliver.</summary>
    public int ProbesPerNode { get; init; }

    /// <summary>The group workload (a group layer and sessions on every node); null for none.</summary>
    public GroupKnobs? Groups { get; init; }

    /// <summary>Nodes that run at some point: the initial ones and those that join later.</summary>
    public int TotalNodes => NodeCount + Plan.NewNodes;

    /// <summary>Most events a run may process before it is called stuck (a livelock guard).</summary>
    public long MaxSteps { get; init; } = 20_000_000;

    /// <summary>Whether the safety phase injects faults at all.</summary>
    public bool FaultsEnabled => Faults != FaultMode.None;

    /// <summary>Draws every knob from <paramref name="seed"/>; <paramref name="groups"/> adds the group workload (its knobs come from a stream of their own).</summary>
    public static Scenario FromSeed(int seed, FaultMode faults = FaultMode.All, bool groups = true)
    {
        var random = RandomStreams.Create(seed, RandomStreams.Knobs);
        int nodes = random.Next(2, 8);
        int window = random.Next(8, 129);
        int receiveWindow = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(4 * window)) << random.Next(0, 3);
        long retransmit = random.Next(4) == 0 ? random.Next(1, 6) * 1000L : random.Next(5, 81) * 1000L;
        int datagram = random.Next(1400, 8001);
        var settings = new TotemSettings
        {
            MaxDatagramSize = datagram,
            MaxMessageSize = LargestMessageFor(datagram, receiveWindow),
            WindowSize = window,
            MaxPacketsPerVisit = random.Next(1, Math.Min(32, window) + 1),
            MaxRetransmitRequests = random.Next(4, 129),
            ReceiveWindow = receiveWindow,
            TokenLossMicros = 1_000_000,
            TokenRetransmitMicros = retransmit,
            TokenHoldMicros = random.Next(2, 51) * 1000L,
        };

        long safety = random.Next(2000, 5001) * 1000L;
        double loss = random.Next(4) == 0 ? 0 : random.NextDouble(0, 0.30);
        double duplication = random.Next(3) == 0 ? 0 : random.NextDouble(0, 0.10);
        long baseDelay = random.Next(50, 2001);
        long jitter = random.Next(4) == 0 ? 0 : random.Next(0, (int)(2 * baseDelay) + 1);
        var clogs = new LinkClog[random.Next(0, 5)];
        for (int i = 0; i < clogs.Length; i++)
        {
            int from = random.Next(nodes);
            int to = (from + random.Next(1, nodes)) % nodes;
            long start = random.NextInt64(0, safety);
            long end = Math.Min(safety, start + random.Next(10, 501) * 1000L);
            bool drops = random.Next(2) == 0;
            clogs[i] = new LinkClog(from, to, start, end, drops, drops ? 0 : random.Next(20, 301) * 1000L);
        }

        SettingsValidation.Check(settings, 64);
        var scenario = new Scenario
        {
            Seed = seed,
            Faults = faults,
            NodeCount = nodes,
            Settings = settings,
            SendQueueCapacity = random.Next(4, 129),
            LossRate = loss,
            DuplicationRate = duplication,
            BaseDelayMicros = baseDelay,
            JitterMicros = jitter,
            Clogs = SeparateClogs(clogs, settings.TokenLossMicros),
            MessageSizeCap = settings.MaxMessageSize,
            MessageCount = random.Next(4) == 0 ? random.Next(500, 2001) : random.Next(50, 501),
            SafeFraction = random.Next(5) switch { 0 => 0, 1 => 1, _ => random.NextDouble() },
            MediumFraction = random.NextDouble(0, 0.4),
            LargeFraction = random.NextDouble(0, 0.05),
            BurstFraction = random.NextDouble(0, 0.8),
            SafetyMicros = safety,
            SubmitSpanMicros = random.Next(3) switch { 0 => random.Next(1, 201) * 1000L, _ => safety * 9 / 10 },
            Groups = groups ? GroupKnobs.FromSeed(seed) : null,
        };

        return faults switch
        {
            FaultMode.None => scenario with { LossRate = 0, DuplicationRate = 0, JitterMicros = 0, Clogs = [] },
            FaultMode.All => MembershipKnobs.Apply(scenario),
            _ => scenario,
        };
    }

    /// <summary>
    /// Keeps clogs at least a token-loss timeout apart (a later one too close to a kept one is left
    /// out): back to back, two of them could hold the token up for longer than the timeout, and
    /// network faults alone must never change the ring.
    /// </summary>
    private static LinkClog[] SeparateClogs(LinkClog[] clogs, long tokenLossMicros)
    {
        var kept = new List<LinkClog>();
        foreach (var clog in clogs)
        {
            if (!kept.Any(k => clog.StartMicros < k.EndMicros + tokenLossMicros && k.StartMicros < clog.EndMicros + tokenLossMicros))
            {
                kept.Add(clog);
            }
        }

        return [.. kept];
    }

    /// <summary>
    /// The largest MaxMessageSize a real node accepts with these sizes (a message goes out whole in
    /// one token visit, in at most a quarter of the receive window), at most <see cref="MaxMessageSize"/>.
    /// </summary>
    public static int LargestMessageFor(int maxDatagramSize, int receiveWindow) =>
        (int)Math.Min(MaxMessageSize, (long)(receiveWindow / 4) * (maxDatagramSize - 128));

    /// <summary>One line per group of knobs, for reports and traces.</summary>
    public string Describe()
    {
        var s = Settings;
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"seed {Seed}, faults {Faults}, {NodeCount} nodes, {MessageCount} messages (safe {SafeFraction:P0}, medium {MediumFraction:P0}, large {LargeFraction:P1}, bursts {BurstFraction:P0}, submitted within {SubmitSpanMicros / 1000}ms)").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  network: delay {BaseDelayMicros}us + jitter {JitterMicros}us, loss {LossRate:P1}, duplication {DuplicationRate:P1}, safety phase {SafetyMicros / 1000}ms, liveness bound {LivenessBoundMicros / 1000}ms").AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"  engine: datagram {s.MaxDatagramSize}B, message {s.MaxMessageSize}B, window {s.WindowSize}, per visit {s.MaxPacketsPerVisit}, rtr {s.MaxRetransmitRequests}, receive window {s.ReceiveWindow}, token retransmit {s.TokenRetransmitMicros / 1000}ms, hold {s.TokenHoldMicros / 1000}ms, loss {s.TokenLossMicros / 1000}ms, send queue {SendQueueCapacity}");
        foreach (var clog in Clogs)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  clog {clog}");
        }

        if (Groups is not null)
        {
            text.AppendLine().Append("  ").Append(Groups.Describe());
        }

        if (!Plan.IsEmpty)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  membership: {Bootstrap} start{(Bootstrap == BootstrapMode.Joining ? $" (floor from {(InitialFloorFromClock ? "clock" : "empty disk")})" : "")}, {Plan.NewNodes} new node(s), join {s.JoinMicros / 1000}ms, consensus {s.ConsensusMicros / 1000}ms, merge detect {s.MergeDetectMicros / 1000}ms, fail to receive {s.FailToReceiveRotations} rotations, one-way suspicion {s.OneWaySuspicionMicros / 1000}ms, heal at {Plan.HealMicros / 1000}ms, {ProbesPerNode} probe(s) per node");
            foreach (var action in Plan.Actions)
            {
                text.AppendLine().Append(CultureInfo.InvariantCulture, $"  fault {action}");
            }
        }

        return text.ToString();
    }
}
