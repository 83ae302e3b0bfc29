using SpreadNet.Ring;
using SpreadNet.Ring.Verification.Groups;
using SpreadNet.Simulation.Checkers;

namespace SpreadNet.Simulation.Groups;

/// <summary>
/// Runs the group workload of one run: the times and nodes of the session actions (drawn up front),
/// and at each action what a session of that node does (drawn as the run goes, from its own stream,
/// since it depends on which sessions exist): join, leave, multicast to one group, to several
/// groups, or to one session's private name, with any service type and sometimes self-discard; end;
/// or open a new session. Numbers every multicast and passes every session event to the checker.
/// </summary>
internal sealed class GroupDriver
{
    private readonly Random _random;
    private readonly List<GroupMessageKey> _sent = [];
    private readonly List<string> _privateNames = [];
    private readonly List<SimulatedSession> _active = [];
    private GroupStats _stats = new();

    public GroupDriver(SimulationRun run, GroupKnobs knobs, GroupChecker checker)
    {
        Run = run;
        Knobs = knobs;
        Checker = checker;
        GroupNames = [.. Enumerable.Range(0, knobs.GroupCount).Select(i => $"g{i}")];
        _random = RandomStreams.Create(run.Scenario.Seed, RandomStreams.GroupActions);
        Schedule = DrawSchedule(run.Scenario, knobs);
    }

    public SimulationRun Run { get; }

    public GroupKnobs Knobs { get; }

    public GroupChecker Checker { get; }

    public string[] GroupNames { get; }

    /// <summary>When and at which node each session action happens, in time order.</summary>
    public IReadOnlyList<(long TimeMicros, int Node)> Schedule { get; }

    /// <summary>What the workload did so far.</summary>
    public GroupStats Stats => _stats with { Multicasts = _sent.Count };

    public bool TryGetSent(int id, out GroupMessageKey key)
    {
        bool known = (uint)id < (uint)_sent.Count;
        key = known ? _sent[id] : default;
        return known;
    }

    public bool DrawPrefersCopies() => _random.Chance(Knobs.CopyFraction);

    public void Opened(SimulatedSession session)
    {
        _stats = _stats with { Sessions = _stats.Sessions + 1 };
        _privateNames.Add(session.Member.Name);
        Trace(session, "opened");
    }

    /// <summary>A node (re)started: it opens its first sessions, each joining one or two groups.</summary>
    public void OpenInitialSessions(GroupHost host, long now)
    {
        for (int i = 0; i < Knobs.InitialSessions; i++)
        {
            OpenAndJoin(host, now);
        }
    }

    /// <summary>Session action <paramref name="index"/> of the schedule happens at its node, if running.</summary>
    public void Act(SimulatedNode node, long now)
    {
        if (node.Groups is not { } host || Environment.GetEnvironmentVariable("NOACT") is not null)
        {
            return;
        }

        _active.Clear();
        foreach (var open in host.Sessions)
        {
            if (!open.Ending)
            {
                _active.Add(open);
            }
        }

        if (_active.Count == 0 || (host.Sessions.Count < Knobs.MaxSessions && _random.Chance(0.08)))
        {
            OpenAndJoin(host, now);
            return;
        }

        var session = _active[_random.Next(_active.Count)];
        double roll = _random.NextDouble();
        if (roll < 0.14 && GroupNames.Except(session.Joined).ToArray() is { Length: > 0 } notJoined)
        {
            session.Join(notJoined[_random.Next(notJoined.Length)], now);
        }
        else if (roll < 0.22 && session.Joined.Count > 0)
        {
            session.Leave(session.Joined.Order(StringComparer.Ordinal).ElementAt(_random.Next(session.Joined.Count)), now);
        }
        else if (roll < 0.25)
        {
            Trace(session, "ends");
            session.End(now);
        }
        else if (roll < 0.35)
        {
            Multicast(session, [_privateNames[_random.Next(_privateNames.Count)]], now);
        }
        else if (roll < 0.47)
        {
            int count = _random.Next(2, 5);
            var targets = new List<string>();
            while (targets.Count < count)
            {
                string target = _random.Chance(0.15) ? _privateNames[_random.Next(_privateNames.Count)] : GroupNames[_random.Next(GroupNames.Length)];
                if (!targets.Contains(target))
                {
                    targets.Add(target);
                }
            }

            Multicast(session, [.. targets], now);
        }
        else
        {
            var joined = session.Joined.Order(StringComparer.Ordinal).ToArray();
            string group = joined.Length > 0 && _random.Chance(0.75) ? joined[_random.Next(joined.Length)] : GroupNames[_random.Next(GroupNames.Length)];
            Multicast(session, [group], now);
        }
    }

    /// <summary>Counts a view or message handed to a session.</summary>
    public void Handed(Ring.Groups.GroupViewKind? view) => _stats = view switch
    {
        null => _stats with { Deliveries = _stats.Deliveries + 1 },
        Ring.Groups.GroupViewKind.Transitional => _stats with { Views = _stats.Views + 1, TransitionalViews = _stats.TransitionalViews + 1 },
        _ => _stats with { Views = _stats.Views + 1 },
    };

    /// <summary>Counts an exchange cut short at one node.</summary>
    public void CutShort() => _stats = _stats with { ExchangesCutShort = _stats.ExchangesCutShort + 1 };

    public void Trace(SimulatedSession session, string what)
    {
        if (Run.TraceEnabled)
        {
            Run.TraceLine($"{Run.Describe(session.Member.Node)} {session.Member.SessionName} {what}");
        }
    }

    private static (long, int)[] DrawSchedule(Scenario scenario, GroupKnobs knobs)
    {
        var random = RandomStreams.Create(scenario.Seed, RandomStreams.Groups);
        long end = scenario.SafetyMicros * 9 / 10;
        var bursts = new long[1 + (knobs.Actions / 40)];
        for (int i = 0; i < bursts.Length; i++)
        {
            bursts[i] = random.NextInt64(0, end);
        }

        var schedule = new (long Time, int Node)[knobs.Actions];
        for (int i = 0; i < schedule.Length; i++)
        {
            long time = random.Chance(0.3) ? Math.Min(end, bursts[random.Next(bursts.Length)] + random.Next(0, 3000)) : random.NextInt64(0, end);
            schedule[i] = (time, random.Next(scenario.TotalNodes));
        }

        return [.. schedule.OrderBy(s => s.Time)];
    }

    private void OpenAndJoin(GroupHost host, long now)
    {
        if (host.Sessions.Count >= Knobs.MaxSessions)
        {
            return;
        }

        var session = host.Open();
        int joins = _random.Next(1, 3);
        for (int i = 0; i < joins; i++)
        {
            string group = GroupNames[_random.Next(GroupNames.Length)];
            if (!session.Joined.Contains(group))
            {
                session.Join(group, now);
            }
        }
    }

    private void Multicast(SimulatedSession session, string[] targets, long now)
    {
        int id = _sent.Count;
        var service = (ServiceType)_random.Next((int)ServiceType.Unreliable, (int)ServiceType.Safe + 1);
        bool selfDiscard = _random.Chance(Knobs.SelfDiscardFraction);

        // Known before it is queued: a ring of one delivers it from inside the queueing call.
        var key = session.NextMessage;
        _sent.Add(key);
        Trace(session, $"sends #{key.Number} (id {id}) {service}{(selfDiscard ? " self-discard" : "")} to [{string.Join(' ', targets)}]");
        session.Multicast(targets, id, DrawSize(), service, selfDiscard, now);
    }

    /// <summary>Mostly small, some up to a datagram, a few fragmented over several.</summary>
    private int DrawSize()
    {
        int datagram = Run.Scenario.Settings.MaxDatagramSize;
        double kind = _random.NextDouble();
        int largest = Math.Min(3 * datagram, Run.Scenario.Settings.MaxMessageSize - 1024);
        return kind < 0.03 && largest > datagram
            ? _random.Next(datagram, largest)
            : kind < 0.25 ? _random.Next(200, datagram - 256) : _random.Next(GroupPayload.HeaderSize, 201);
    }
}
