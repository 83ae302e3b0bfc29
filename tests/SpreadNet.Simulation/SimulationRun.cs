using SpreadNet.Ring;
using SpreadNet.Simulation.Checkers;
using SpreadNet.Simulation.Groups;

namespace SpreadNet.Simulation;

/// <summary>
/// One deterministic run: real engines on one thread under a simulated clock and a seeded network.
/// The safety phase submits the workload under faults (network ones, and with
/// <see cref="FaultMode.All"/> the membership fault plan); the liveness phase stops the faults and
/// requires, within the scenario's bound, every message at every node (static ring) or one ring of
/// every live node that delivers the probes (membership faults). Checkers watch every step.
/// </summary>
public sealed partial class SimulationRun
{
    private const int MaxViolations = 20;

    private readonly EventQueue _events = new();
    private readonly SimulatedNode[] _nodes;
    private readonly Dictionary<NodeId, SimulatedNode> _byId = [];
    private readonly SimulatedNetwork _network;
    private readonly FaultInjector _faults;
    private readonly Checker[] _checkers;
    private readonly List<Violation> _violations = [];
    private readonly TraceLog _trace;
    private bool _executed;

    /// <summary>Builds the nodes, network, workload and checkers of <paramref name="scenario"/>.</summary>
    public SimulationRun(Scenario scenario, TraceLog? trace = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.NodeCount is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(scenario), scenario.NodeCount, "Node count out of range.");
        }

        CheckPlanFits(scenario);
        Scenario = scenario;
        _trace = trace ?? TraceLog.Disabled;
        Workload = Workload.Create(scenario);

        // Node ids are random and distinct, so the representative is not always node 0.
        var random = RandomStreams.Create(scenario.Seed, RandomStreams.NodeIds);
        var ids = new List<ulong>();
        DrawIds(random, ids, scenario.NodeCount);
        RingSequence = (ulong)random.Next(1, 1000) * 4;
        InitialRing = new RingId(new NodeId(ids.Min()), RingSequence);
        DrawIds(random, ids, scenario.TotalNodes);

        _nodes = new SimulatedNode[scenario.TotalNodes];
        for (int i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new SimulatedNode(this, i, new NodeId(ids[i]), scenario);
            _byId.Add(_nodes[i].Id, _nodes[i]);
        }

        _network = new SimulatedNetwork(scenario, _events, _nodes, Connectivity, _trace);
        _faults = new FaultInjector(this, _trace);
        Liveness = scenario.Plan.IsEmpty ? new AllDeliveredGoal(this) : new ConvergenceGoal(this);
        var groupChecker = scenario.Groups is null ? null : new GroupChecker(this);
        GroupDriver = groupChecker is null ? null : new GroupDriver(this, scenario.Groups!, groupChecker);

        // Liveness is checked at the end before the properties that need a settled run (self delivery, final views).
        _checkers =
        [
            new PayloadChecker(this),
            new LivenessChecker(this),
            new EvsChecker(this),
            new SafeDeliveryChecker(this),
            new EngineInvariantChecker(this),
            new TokenUniquenessChecker(this),
            .. groupChecker is null ? Array.Empty<Checker>() : [groupChecker],
        ];
    }

    /// <summary>The scenario being run.</summary>
    public Scenario Scenario { get; }

    /// <summary>The messages this run submits.</summary>
    public Workload Workload { get; }

    /// <summary>Every node that runs at some point, by index (initial ones first).</summary>
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>Which links work.</summary>
    public Connectivity Connectivity { get; } = new();

    /// <summary>The ring sequence of the static bootstrap ring.</summary>
    public ulong RingSequence { get; }

    /// <summary>The ring the initial nodes start in with the static bootstrap (the only ring of the network-only modes).</summary>
    public RingId InitialRing { get; }

    /// <summary>What the run must reach once faults stop.</summary>
    public LivenessGoal Liveness { get; }

    /// <summary>The simulated clock, in microseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Workload submissions handed to running nodes so far.</summary>
    public int Submitted { get; private set; }

    /// <summary>Workload submissions dropped because their node was not running.</summary>
    public int SkippedSubmissions { get; private set; }

    /// <summary>Fault plan actions carried out so far.</summary>
    public int FaultsApplied { get; private set; }

    /// <summary>The group workload (sessions, groups, multicasts); null when the run has none.</summary>
    internal GroupDriver? GroupDriver { get; }

    /// <summary>Whether a trace is written (callers skip building lines otherwise).</summary>
    internal bool TraceEnabled => _trace.Enabled;

    /// <summary>Violations reported so far.</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>The run's checker of type <typeparamref name="T"/> (for tests).</summary>
    internal T Checker<T>()
        where T : Checker => _checkers.OfType<T>().Single();

    /// <summary>The node with id <paramref name="id"/>.</summary>
    public SimulatedNode NodeById(NodeId id) => _byId[id];

    /// <summary>Runs the scenario to the end and returns what happened.</summary>
    public SimulationResult Execute()
    {
        if (_executed)
        {
            throw new InvalidOperationException("A run executes once.");
        }

        _executed = true;
        try
        {
            Start();
            Loop();
            foreach (var checker in _checkers)
            {
                if (_violations.Count > 0)
                {
                    break;
                }

                checker.AtEnd();
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Report("Engine", $"unhandled {exception}");
        }

        return BuildResult();
    }

    /// <summary>Records a violation seen by <paramref name="checker"/>.</summary>
    public void Report(string checker, string message)
    {
        if (_violations.Count < MaxViolations)
        {
            _violations.Add(new Violation(Scenario.Seed, checker, Now, message));
        }

        if (_trace.Enabled)
        {
            _trace.Write(Now, $"VIOLATION [{checker}] {message}");
        }
    }

    /// <summary>Writes a line to the trace, stamped with the simulated time.</summary>
    internal void TraceLine(string line) => _trace.Write(Now, line);

    /// <summary>Names a node for people: its index and id.</summary>
    public string Describe(NodeId node) => _byId.TryGetValue(node, out var n) ? $"n{n.Index}" : node.ToString();

    /// <summary>Schedules every probe of every running node, starting at <paramref name="at"/>; returns how many.</summary>
    internal int ScheduleProbes(long at)
    {
        int count = 0;
        for (int i = 0; i < Workload.Probes.Count; i++)
        {
            var probe = Workload.Probes[i];
            if (_nodes[probe.Id.Node].IsUp)
            {
                _events.Schedule(at + (count * 1000L), new SimEvent(SimEventKind.Probe, probe.Id.Node, -1, null, 0, i));
                count++;
            }
        }

        return count;
    }

    private static void CheckPlanFits(Scenario scenario)
    {
        int nodes = scenario.TotalNodes;
        foreach (var action in scenario.Plan.Actions)
        {
            bool fits = action.Node < nodes && action.Other < nodes
                && (action.Seeds ?? []).All(s => s < nodes)
                && (action.Components is null || action.Components.Count == nodes)
                && (action.Kind != FaultKind.Join || action.Node >= scenario.NodeCount);
            if (!fits)
            {
                throw new ArgumentException($"Fault '{action}' does not fit {scenario.NodeCount} initial and {scenario.Plan.NewNodes} new nodes: a plan drawn for one node count cannot be kept when NodeCount changes.", nameof(scenario));
            }
        }
    }

    private static void DrawIds(Random random, List<ulong> ids, int count)
    {
        while (ids.Count < count)
        {
            ulong id = (ulong)random.NextInt64(1, 1 << 20);
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }
    }

    /// <summary>Starts the initial nodes and schedules the workload and the faults (the first part of <see cref="Execute"/>; tests call it alone).</summary>
    internal void Start()
    {
        if (_trace.Enabled)
        {
            _trace.Write(0, $"scenario {Scenario.Describe()}");
            _trace.Write(0, $"nodes {string.Join(", ", _nodes.Select(n => $"n{n.Index}={n.Id}"))}, static ring {InitialRing}");
        }

        var initial = _nodes.Take(Scenario.NodeCount).Select(n => n.Id).ToArray();
        foreach (var node in _nodes.Take(Scenario.NodeCount))
        {
            if (Scenario.Bootstrap == BootstrapMode.Static)
            {
                node.StartStatic(initial, RingSequence, 0);
            }
            else
            {
                node.StartJoining(initial, Scenario.InitialFloorFromClock ? FaultInjector.WallClock(0) : 0, 0);
            }
        }

        for (int i = 0; i < Workload.All.Count; i++)
        {
            var submission = Workload.All[i];
            _events.Schedule(submission.TimeMicros, new SimEvent(SimEventKind.Submit, submission.Id.Node, -1, null, submission.Size, i));
        }

        for (int i = 0; i < Scenario.Plan.Actions.Count; i++)
        {
            var action = Scenario.Plan.Actions[i];
            _events.Schedule(action.TimeMicros, new SimEvent(SimEventKind.Fault, Math.Max(0, action.Node), -1, null, 0, i));
        }

        var schedule = GroupDriver?.Schedule ?? [];
        for (int i = 0; i < schedule.Count; i++)
        {
            _events.Schedule(schedule[i].TimeMicros, new SimEvent(SimEventKind.GroupAction, schedule[i].Node, -1, null, 0, i));
        }
    }
}
