using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// One membership fault at a time, under load, with the EVS checkers on and the liveness phase
/// requiring one ring of every running node afterwards.
/// </summary>
public class MembershipScenarioTests
{
    private const long Second = 1_000_000;

    [Fact]
    public void Crash_OneOfThreeUnderLoad_SurvivorsFormARingOfTwo()
    {
        var run = Run(Plan(3, heal: 4 * Second, new FaultAction(1 * Second, FaultKind.Crash, 1)));

        Assert.Equal(NodeStatus.Crashed, run.Nodes[1].Status);
        AssertFinalRing(run, 0, 2);

        // One survivor's token-loss timeout starts the gather; the other may be drawn in by its join first.
        Assert.Contains([run.Nodes[0], run.Nodes[2]], n => n.Events.Any(e => e.Event.Kind == RingEventKind.TokenLost));

        // The crashed node's sessions left the survivors' groups in transitional views.
        Assert.True(run.GroupDriver!.Stats.TransitionalViews > 0, run.GroupDriver.Stats.ToString());
    }

    [Fact]
    public void Partition_TwoPlusOneThenHeal_SplitsAndMergesBack()
    {
        var run = Run(Plan(
            3,
            heal: 8 * Second,
            new FaultAction(1 * Second, FaultKind.Partition, -1, Components: [0, 0, 1]),
            new FaultAction(7 * Second, FaultKind.Heal, -1)));

        AssertFinalRing(run, 0, 1, 2);
        Assert.All(run.Nodes, n => Assert.True(n.RegularConfigurationTimes.Count >= 3, $"n{n.Index} installed {n.RegularConfigurationTimes.Count} rings: it should have split off and merged back"));
        Assert.Contains(run.Nodes, n => n.Events.Any(e => e.Event.Kind == RingEventKind.MergeDetected));
    }

    [Fact]
    public void Leave_Graceful_OthersReformWithoutWaitingForTokenLoss()
    {
        var scenario = Plan(3, heal: 4 * Second, new FaultAction(1 * Second, FaultKind.Leave, 2));
        var run = Run(scenario);

        Assert.Equal(NodeStatus.Left, run.Nodes[2].Status);
        AssertFinalRing(run, 0, 1);
        foreach (var survivor in run.Nodes.Take(2))
        {
            Assert.Contains(survivor.Events, e => e.Event.Kind == RingEventKind.MemberLeft && e.Event.Peer == run.Nodes[2].Id);
            Assert.DoesNotContain(survivor.Events, e => e.Event.Kind == RingEventKind.TokenLost);
            long reformed = survivor.RegularConfigurationTimes.First(t => t > 1 * Second);
            Assert.True(reformed - (1 * Second) < scenario.Settings.TokenLossMicros, $"n{survivor.Index} reformed {(reformed - Second) / 1000}ms after the leave");
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Restart_AloneFirst_NeverReusesARingId(bool persisted)
    {
        // The restarted node forms a ring of its own first (cut off), then merges back.
        var scenario = Plan(
            3,
            heal: 6 * Second,
            new FaultAction(1 * Second, FaultKind.Crash, 0),
            new FaultAction(1_500_000, FaultKind.Partition, -1, Components: [1, 0, 0]),
            new FaultAction(2 * Second, FaultKind.Restart, 0, Persisted: persisted, Seeds: [0, 1, 2]),
            new FaultAction(4 * Second, FaultKind.Heal, -1));
        var run = Run(scenario);

        Assert.Equal(1, run.Nodes[0].Incarnation);
        AssertFinalRing(run, 0, 1, 2);
        ulong finalSequence = run.Nodes[0].Engine.Ring.Sequence;
        Assert.Equal(persisted, finalSequence < MembershipKnobs.WallClockEpochMillis);
    }

    [Fact]
    public void NewNode_JoinsThroughOneSeed()
    {
        var scenario = Plan(3, heal: 4 * Second, new FaultAction(1 * Second, FaultKind.Join, 3, Seeds: [1]));
        var run = Run(scenario);

        AssertFinalRing(run, 0, 1, 2, 3);
        Assert.Equal(scenario.ProbesPerNode * 4, run.Nodes[3].ProbesDelivered);
    }

    [Fact]
    public void OneWayLink_SettlesIntoAStableRingAndIsReported()
    {
        long appears = 1 * Second, heals = 25 * Second;
        var scenario = Plan(
            3,
            heal: 26 * Second,
            new FaultAction(appears, FaultKind.OneWayLink, 0, 1),
            new FaultAction(heals, FaultKind.OneWayHeal, 0, 1));
        var run = Run(scenario);

        // n1 does not hear n0; n0 hears n1. One of them says so, naming both.
        var (n0, n1) = (run.Nodes[0], run.Nodes[1]);
        var reports = n0.Events.Where(e => e.Event.Kind == RingEventKind.OneWayLink && e.Event.Peer == n1.Id)
            .Concat(n1.Events.Where(e => e.Event.Kind == RingEventKind.OneWayLink && e.Event.Peer == n0.Id))
            .ToArray();
        Assert.NotEmpty(reports);
        Assert.All(reports, r => Assert.True(r.Event.Message.Contains("n0", StringComparison.Ordinal) && r.Event.Message.Contains("n1", StringComparison.Ordinal), r.Event.Message));

        // The ring stops reforming: a few changes after the link breaks, then none until it heals.
        foreach (var node in run.Nodes)
        {
            var changes = node.RegularConfigurationTimes.Where(t => t > appears && t < heals).ToArray();
            Assert.True(changes.Length <= 6, $"n{node.Index} installed {changes.Length} rings while the link was one-way: [{string.Join(' ', changes.Select(t => t / 1000))}] ms");
            // Failed merges back off (eight times longer each time): the reformations die out
            // instead of looping, at most one in the second half of the one-way period.
            Assert.True(changes.Count(t => t > appears + (12 * Second)) <= 1, $"n{node.Index} kept reforming late: [{string.Join(' ', changes.Select(t => t / 1000))}] ms");
        }

        AssertFinalRing(run, 0, 1, 2);
    }

    /// <summary>A membership scenario from a seed's network and engine knobs, with a hand-written plan (each join a new node) and light loss.</summary>
    private static Scenario Plan(int nodes, long heal, params FaultAction[] actions)
    {
        var drawn = Scenario.FromSeed(4242, FaultMode.All);
        return drawn with
        {
            NodeCount = nodes,
            Plan = new FaultPlan { Actions = actions, HealMicros = heal, NewNodes = actions.Count(a => a.Kind == FaultKind.Join) },
            Bootstrap = BootstrapMode.Static,
            SafetyMicros = heal,
            SubmitSpanMicros = heal * 9 / 10,
            MessageCount = 400,
            LossRate = 0.02,
            DuplicationRate = 0.01,
            Clogs = [],
        };
    }

    /// <summary>Runs <paramref name="scenario"/> and asserts it passed; set SIM_TRACE to a file path to get its trace.</summary>
    private static SimulationRun Run(Scenario scenario)
    {
        using var trace = Environment.GetEnvironmentVariable("SIM_TRACE") is { } path ? new StreamWriter(path) : null;
        var run = new SimulationRun(scenario, trace is null ? null : new TraceLog(trace));
        var result = run.Execute();
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Violations.Select(v => v.ToString()).Prepend(scenario.Describe()).Prepend(result.ToString())));
        return run;
    }

    private static void AssertFinalRing(SimulationRun run, params int[] members)
    {
        var expected = members.Select(i => run.Nodes[i].Id).Order().ToArray();
        foreach (int i in members)
        {
            var engine = run.Nodes[i].Engine;
            Assert.Equal(MembershipState.Operational, engine.State);
            Assert.Equal(expected, engine.Members.Order().ToArray());
        }
    }
}
