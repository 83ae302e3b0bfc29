namespace SpreadNet.Simulation;

/// <summary>
/// The seeded network between the simulated nodes. During the safety phase it loses, duplicates,
/// reorders (random delay jitter) and clogs links; afterwards it only delays and reorders. Links
/// cut by a partition or a one-way link fault (<see cref="Connectivity"/>) lose everything, and so
/// does sending to a node that is not running. Every datagram that gets through is copied into a
/// buffer of the receiver's pool and scheduled as an arrival at the receiver's current incarnation.
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly Scenario _scenario;
    private readonly EventQueue _events;
    private readonly IReadOnlyList<SimulatedNode> _nodes;
    private readonly Connectivity _connectivity;
    private readonly TraceLog _trace;
    private readonly Random _random;

    /// <summary>Creates the network of <paramref name="scenario"/> between <paramref name="nodes"/>.</summary>
    public SimulatedNetwork(Scenario scenario, EventQueue events, IReadOnlyList<SimulatedNode> nodes, Connectivity connectivity, TraceLog trace)
    {
        _scenario = scenario;
        _events = events;
        _nodes = nodes;
        _connectivity = connectivity;
        _trace = trace;
        _random = RandomStreams.Create(scenario.Seed, RandomStreams.Network);
    }

    /// <summary>What happened to the datagrams so far.</summary>
    public NetworkStats Stats { get; } = new();

    /// <summary>Counts an arrival lost because its receiver stopped or restarted while it was in flight.</summary>
    public void LostInFlight(int from, int to, long now)
    {
        Stats.ToStoppedNode++;
        Trace(now, from, to, "lost: receiver stopped or restarted meanwhile");
    }

    /// <summary>Whether faults are injected at <paramref name="now"/>.</summary>
    public bool FaultsActive(long now) => _scenario.FaultsEnabled && now < _scenario.SafetyMicros;

    /// <summary>Sends a copy of <paramref name="datagram"/> from node <paramref name="from"/> to node <paramref name="to"/>.</summary>
    public void Send(int from, int to, ReadOnlySpan<byte> datagram, long now)
    {
        Stats.Sent++;
        var target = _nodes[to];
        if (!target.IsUp)
        {
            Stats.ToStoppedNode++;
            Trace(now, from, to, "to a stopped node");
            return;
        }

        if (!_connectivity.Works(from, to))
        {
            Stats.Cut++;
            Trace(now, from, to, "cut");
            return;
        }

        long extraDelay = 0;
        int copies = 1;
        if (FaultsActive(now))
        {
            foreach (var clog in _scenario.Clogs)
            {
                if (!clog.Affects(from, to, now))
                {
                    continue;
                }

                if (clog.Drops)
                {
                    Stats.Clogged++;
                    Trace(now, from, to, "clogged");
                    return;
                }

                extraDelay = Math.Max(extraDelay, clog.ExtraDelayMicros);
            }

            if (_random.Chance(_scenario.LossRate))
            {
                Stats.Lost++;
                Trace(now, from, to, "lost");
                return;
            }

            if (_random.Chance(_scenario.DuplicationRate))
            {
                Stats.Duplicated++;
                Trace(now, from, to, "duplicated");
                copies = 2;
            }
        }

        for (int i = 0; i < copies; i++)
        {
            long jitter = _scenario.JitterMicros > 0 ? _random.NextInt64(0, _scenario.JitterMicros + 1) : 0;
            var buffer = target.Pool.Rent();
            datagram.CopyTo(buffer);
            _events.Schedule(
                now + _scenario.BaseDelayMicros + jitter + extraDelay,
                new SimEvent(SimEventKind.Arrival, to, from, buffer, datagram.Length, -1, target.Incarnation));
        }
    }

    private void Trace(long now, int from, int to, string what)
    {
        if (_trace.Enabled)
        {
            _trace.Write(now, $"net n{from}->n{to} {what}");
        }
    }
}
