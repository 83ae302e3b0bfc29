namespace SpreadNet.Simulation;

/// <summary>
/// The knobs of <see cref="FaultMode.All"/> on top of the network ones, drawn from their own
/// streams so that the network-only modes keep their scenarios: membership timeouts, a longer
/// safety phase, the bootstrap, the fault plan and the liveness bound.
/// </summary>
public static class MembershipKnobs
{
    /// <summary>Base of the simulated wall clock (ms since the Unix epoch at time 0), the ring sequence floor of nodes without persisted state.</summary>
    public const ulong WallClockEpochMillis = 1_700_000_000_000;

    /// <summary>Adds membership faults to a network-fault scenario.</summary>
    public static Scenario Apply(Scenario scenario)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        var random = RandomStreams.Create(scenario.Seed, RandomStreams.Membership);
        long join = random.Next(20, 101) * 1000L;
        var settings = scenario.Settings with
        {
            JoinMicros = join,
            ConsensusMicros = Math.Max(2 * join, scenario.Settings.TokenLossMicros * random.Next(12, 26) / 10),
            MergeDetectMicros = random.Next(100, 1001) * 1000L,
            FailToReceiveRotations = random.Next(100, 1001),
            OneWaySuspicionMicros = random.Next(2, 11) * 1_000_000L,
        };
        SettingsValidation.Check(settings, scenario.SendQueueCapacity);
        long safety = random.Next(3000, 10001) * 1000L;
        var plan = FaultPlanner.Create(RandomStreams.Create(scenario.Seed, RandomStreams.Faults), scenario.NodeCount, safety);
        return scenario with
        {
            Settings = settings,
            SafetyMicros = safety,
            SubmitSpanMicros = scenario.SubmitSpanMicros <= 200_000 ? scenario.SubmitSpanMicros : safety * 9 / 10,
            Bootstrap = random.Next(2) == 0 ? BootstrapMode.Static : BootstrapMode.Joining,
            InitialFloorFromClock = random.Next(2) == 0,
            ProbesPerNode = random.Next(1, 4),
            Plan = plan,
            LivenessBoundMicros = LivenessBound(settings),
        };
    }

    /// <summary>
    /// How long after the last fault the live nodes may take to form one ring and deliver the
    /// probes: 10 s, plus the one-way suspicion time (a node kept out for a link that has healed),
    /// plus six rounds of token loss, consensus and merge detection (a failure noticed, a gather
    /// that gives up on a node, a merge with a ring formed alone; merges happen pairwise).
    /// </summary>
    public static long LivenessBound(Ring.Totem.TotemSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return 10_000_000 + settings.OneWaySuspicionMicros + (6 * (settings.TokenLossMicros + settings.ConsensusMicros + settings.MergeDetectMicros));
    }
}
