namespace SpreadNet.Simulation;

/// <summary>
/// Draws a <see cref="FaultPlan"/>: one to six faults spread over the safety phase (crash, leave,
/// restart, join of a new node, partition, one-way link), the restarts and heals some of them
/// schedule, and at the heal time the end of every partition and one-way link and the last
/// restarts (each stopped node is restarted or left down; at least one initial node runs). Seeds
/// are chosen so the nodes that run at the end can find each other: restarted initial nodes gather
/// with every initial node (their configuration), new nodes with one or two running nodes, one of
/// them an initial node that runs at the end.
/// </summary>
internal sealed class FaultPlanner
{
    private const long Millisecond = 1000;

    private readonly Random _random;
    private readonly int _initial;
    private readonly long _heal;
    private readonly Status[] _status;
    private readonly List<FaultAction> _actions = [];
    private readonly List<FaultAction> _scheduled = [];
    private readonly HashSet<int> _restartScheduled = [];
    private readonly HashSet<(int, int)> _oneWay = [];
    private bool _partitioned;
    private int _started;

    private FaultPlanner(Random random, int initialNodes, int newNodes, long healMicros)
    {
        _random = random;
        _initial = initialNodes;
        _heal = healMicros;
        _status = new Status[initialNodes + newNodes];
        _started = initialNodes;
        for (int i = 0; i < initialNodes; i++)
        {
            _status[i] = Status.Up;
        }
    }

    private enum Status
    {
        NotStarted,
        Up,
        Down,
    }

    /// <summary>Draws the plan of a run with <paramref name="initialNodes"/> nodes whose faults end at <paramref name="healMicros"/>.</summary>
    public static FaultPlan Create(Random random, int initialNodes, long healMicros)
    {
        var planner = new FaultPlanner(random, initialNodes, random.Next(0, 3), healMicros);
        return planner.Draw();
    }

    private FaultPlan Draw()
    {
        int faults = _random.Next(1, 7);
        var times = Enumerable.Range(0, faults).Select(_ => _random.NextInt64(_heal / 20, _heal * 85 / 100)).Order().ToArray();
        foreach (long time in times)
        {
            RunScheduled(time);
            DrawFault(time);
        }

        RunScheduled(_heal - 1);
        HealEverything();
        return new FaultPlan { Actions = AssignSeeds(), NewNodes = _status.Length - _initial, HealMicros = _heal };
    }

    private void DrawFault(long time)
    {
        var up = Indices(Status.Up);
        var down = Indices(Status.Down).Where(n => !_restartScheduled.Contains(n)).ToArray();
        var options = new List<FaultKind>();
        AddOption(options, FaultKind.Crash, up.Length > 0 ? 3 : 0);
        AddOption(options, FaultKind.Leave, up.Length > 0 ? 1 : 0);
        AddOption(options, FaultKind.Partition, _partitioned ? 0 : 2);
        AddOption(options, FaultKind.OneWayLink, 1);
        AddOption(options, FaultKind.Join, _started < _status.Length ? 2 : 0);
        AddOption(options, FaultKind.Restart, down.Length > 0 ? 2 : 0);
        switch (options[_random.Next(options.Count)])
        {
            case FaultKind.Crash:
                Stop(time, FaultKind.Crash, up[_random.Next(up.Length)], restartChance: 0.6);
                break;
            case FaultKind.Leave:
                Stop(time, FaultKind.Leave, up[_random.Next(up.Length)], restartChance: 0.3);
                break;
            case FaultKind.Restart:
                int restarted = down[_random.Next(down.Length)];
                _status[restarted] = Status.Up;
                _actions.Add(new FaultAction(time, FaultKind.Restart, restarted));
                break;
            case FaultKind.Join:
                _status[_started] = Status.Up;
                _actions.Add(new FaultAction(time, FaultKind.Join, _started++));
                break;
            case FaultKind.Partition:
                Partition(time);
                break;
            default:
                OneWay(time);
                break;
        }
    }

    private static void AddOption(List<FaultKind> options, FaultKind kind, int weight) =>
        options.AddRange(Enumerable.Repeat(kind, weight));

    private void Stop(long time, FaultKind kind, int node, double restartChance)
    {
        _status[node] = Status.Down;
        _actions.Add(new FaultAction(time, kind, node));
        long restart = time + _random.Next(100, 3001) * Millisecond;
        if (_random.Chance(restartChance) && restart < _heal)
        {
            _restartScheduled.Add(node);
            Schedule(new FaultAction(restart, FaultKind.Restart, node));
        }
    }

    private void Partition(long time)
    {
        int components = _random.Next(2, 4);
        var assignment = new int[_status.Length];
        do
        {
            for (int i = 0; i < assignment.Length; i++)
            {
                assignment[i] = _random.Next(components);
            }
        }
        while (assignment.Distinct().Count() < 2);

        _partitioned = true;
        _actions.Add(new FaultAction(time, FaultKind.Partition, -1, Components: assignment));
        long heal = time + _random.Next(300, 3001) * Millisecond;
        if (!_random.Chance(0.3) && heal < _heal)
        {
            Schedule(new FaultAction(heal, FaultKind.Heal, -1));
        }
    }

    private void OneWay(long time)
    {
        int from = _random.Next(_started);
        int to = (from + _random.Next(1, _started)) % _started;
        if (!_oneWay.Add((from, to)))
        {
            return;
        }

        _actions.Add(new FaultAction(time, FaultKind.OneWayLink, from, to));
        long heal = time + _random.Next(1000, 4001) * Millisecond;
        if (!_random.Chance(0.3) && heal < _heal)
        {
            Schedule(new FaultAction(heal, FaultKind.OneWayHeal, from, to));
        }
    }

    private void Schedule(FaultAction action) => _scheduled.Add(action);

    /// <summary>Moves the scheduled restarts and heals due by <paramref name="time"/> into the plan, in time order.</summary>
    private void RunScheduled(long time)
    {
        foreach (var action in _scheduled.Where(a => a.TimeMicros <= time).OrderBy(a => a.TimeMicros).ToArray())
        {
            _scheduled.Remove(action);
            switch (action.Kind)
            {
                case FaultKind.Restart:
                    _status[action.Node] = Status.Up;
                    _restartScheduled.Remove(action.Node);
                    break;
                case FaultKind.Heal:
                    _partitioned = false;
                    break;
                default:
                    _oneWay.Remove((action.Node, action.Other));
                    break;
            }

            _actions.Add(action);
        }
    }

    private void HealEverything()
    {
        if (_partitioned)
        {
            _actions.Add(new FaultAction(_heal, FaultKind.Heal, -1));
        }

        foreach (var (from, to) in _oneWay.Order())
        {
            _actions.Add(new FaultAction(_heal, FaultKind.OneWayHeal, from, to));
        }

        foreach (int node in Indices(Status.Down))
        {
            if (_random.Chance(0.5))
            {
                _status[node] = Status.Up;
                _actions.Add(new FaultAction(_heal, FaultKind.Restart, node));
            }
        }

        if (!Indices(Status.Up).Any(n => n < _initial))
        {
            // Initial nodes are never "not started": all of them are down.
            int node = _random.Next(_initial);
            _status[node] = Status.Up;
            _actions.Add(new FaultAction(_heal, FaultKind.Restart, node));
        }
    }

    /// <summary>Gives every restart and join its seeds and every restart its persistence, now that the nodes running at the end are known.</summary>
    private FaultAction[] AssignSeeds()
    {
        var liveInitial = Indices(Status.Up).Where(n => n < _initial).ToArray();
        var everyInitial = Enumerable.Range(0, _initial).ToArray();
        var joinSeeds = new Dictionary<int, int[]>();
        var result = new FaultAction[_actions.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var action = _actions[i];
            if (action.Kind == FaultKind.Join)
            {
                int first = liveInitial[_random.Next(liveInitial.Length)];
                int second = _random.Next(action.Node);
                joinSeeds[action.Node] = _random.Chance(0.5) && second != first ? [first, second] : [first];
                action = action with { Seeds = joinSeeds[action.Node] };
            }
            else if (action.Kind == FaultKind.Restart)
            {
                action = action with { Seeds = action.Node < _initial ? everyInitial : joinSeeds[action.Node], Persisted = _random.Chance(0.5) };
            }

            result[i] = action;
        }

        return result;
    }

    private int[] Indices(Status status) => [.. Enumerable.Range(0, _status.Length).Where(i => _status[i] == status)];
}
