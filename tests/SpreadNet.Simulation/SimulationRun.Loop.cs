using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation;

/// <summary>The event loop: the next event or timer, in time order, until the liveness goal is met, the bound passes or a check fails.</summary>
public sealed partial class SimulationRun
{
    private void Loop()
    {
        long deadline = Scenario.SafetyMicros + Scenario.LivenessBoundMicros;
        while (_violations.Count == 0 && !Liveness.IsMet && !Liveness.HasFailed)
        {
            long eventTime = _events.NextTime;
            SimulatedNode? timerNode = null;
            var timerKind = TimerKind.TokenLoss;
            long timerTime = TimerKinds.Disarmed;
            foreach (var node in _nodes)
            {
                if (!node.IsUp)
                {
                    continue;
                }

                long due = node.NextTimer(out var kind);
                if (due < timerTime)
                {
                    timerTime = due;
                    timerKind = kind;
                    timerNode = node;
                }
            }

            long next = Math.Min(eventTime, timerTime);
            if (next == long.MaxValue || next > deadline)
            {
                Now = Math.Max(Now, Math.Min(next, deadline));
                return;
            }

            if (++_steps > Scenario.MaxSteps)
            {
                Report("Run", $"more than {Scenario.MaxSteps} steps: livelock?");
                return;
            }

            Now = Math.Max(Now, next);
            SimulatedNode? touched;
            if (eventTime <= timerTime)
            {
                touched = Handle(_events.Dequeue());
            }
            else
            {
                touched = timerNode!;
                if (_trace.Enabled)
                {
                    _trace.Write(Now, $"n{touched.Index} timer {timerKind}");
                }

                touched.FireTimer(timerKind, Now);
            }

            if (touched is { IsUp: true })
            {
                touched.DrainBacklog(Now);
                foreach (var checker in _checkers)
                {
                    checker.AfterStep(touched);
                }
            }

            Liveness.AfterStep();
        }
    }

    private SimulatedNode? Handle(SimEvent e)
    {
        var node = _nodes[e.Node];
        switch (e.Kind)
        {
            case SimEventKind.Arrival:
                return Arrive(node, e);
            case SimEventKind.Submit:
                return Submit(node, Workload.All[e.Item], "submit");
            case SimEventKind.Probe:
                return Submit(node, Workload.Probes[e.Item], "probe");
            case SimEventKind.Fault:
                FaultsApplied++;
                return _faults.Apply(Scenario.Plan.Actions[e.Item], Now);
            case SimEventKind.GroupAction when node.IsUp:
                GroupDriver!.Act(node, Now);
                return node;
            case SimEventKind.GroupAction:
                return null;
            default:
                throw new InvalidOperationException($"Unknown event {e.Kind}.");
        }
    }

    private SimulatedNode? Arrive(SimulatedNode node, SimEvent e)
    {
        if (!node.IsUp || node.Incarnation != e.Incarnation)
        {
            _network.LostInFlight(e.From, node.Index, Now);
            node.Pool.Return(e.Buffer!);
            return null;
        }

        var datagram = e.Buffer.AsSpan(0, e.Length);
        node.NoteData(datagram);
        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{node.Index}<-n{e.From} {PacketDescriber.Describe(datagram, Describe)}");
        }

        node.Engine.OnDatagram(e.Buffer!, e.Length, Now);
        return node;
    }

    private SimulatedNode? Submit(SimulatedNode node, Submission submission, string what)
    {
        if (!node.IsUp)
        {
            SkippedSubmissions++;
            return null;
        }

        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{node.Index} {what} {submission.Id} {submission.Service} {submission.Size}B");
        }

        Submitted++;
        node.Submit(submission, Now);
        return node;
    }
}
