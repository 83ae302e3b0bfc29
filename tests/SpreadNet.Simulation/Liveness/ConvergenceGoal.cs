using System.Text;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation;

/// <summary>
/// The goal under membership faults: once the last fault is over (every partition and one-way
/// link healed, the last restarts done), every running node is Operational in one ring whose
/// members are exactly the running nodes; then every running node submits its probes, and the goal
/// is met when every running node has delivered every probe, still in one ring of all of them.
/// On the way no node may install more than <see cref="ReformationLimit"/> rings (no flapping).
/// </summary>
public sealed class ConvergenceGoal(SimulationRun run) : LivenessGoal(run)
{
    private long _ringFormedAt = -1;
    private int _probes = -1;
    private int[]? _installedAtHeal;
    private string? _flapping;

    /// <inheritdoc />
    public override long RingFormedAt => _ringFormedAt;

    /// <summary>
    /// Most rings a node may install after the last fault: enough for every stopped node to come
    /// back and every component to merge pairwise (4 + 2 per node of the run).
    /// </summary>
    public int ReformationLimit => 4 + (2 * Run.Scenario.TotalNodes);

    /// <inheritdoc />
    public override void AfterStep()
    {
        if (IsMet || Run.FaultsApplied < Run.Scenario.Plan.Actions.Count || Run.Now < Run.Scenario.Plan.HealMicros || IsFlapping() || !OneRingOfLiveNodes())
        {
            return;
        }

        if (_probes < 0)
        {
            _ringFormedAt = Run.Now;
            _probes = Run.ScheduleProbes(Run.Now + 1000);
            return;
        }

        if (Run.Nodes.All(n => !n.IsUp || n.ProbesDelivered == _probes) && Run.GroupsSettled)
        {
            IsMet = true;
            MetAt = Run.Now;
        }
    }

    /// <inheritdoc />
    public override string Explain()
    {
        if (_flapping is not null)
        {
            return _flapping;
        }

        var text = new StringBuilder();
        string what = _probes < 0 ? "did not form one ring of all of them"
            : Run.Nodes.All(n => !n.IsUp || n.ProbesDelivered == _probes) ? $"delivered the probes, but their group layers did not come to rest (one ring formed at {_ringFormedAt / 1000}ms)"
            : $"did not all deliver the {_probes} probes (one ring formed at {_ringFormedAt / 1000}ms)";
        text.Append($"{Run.Scenario.LivenessBoundMicros / 1000}ms after the last fault (at {Run.Scenario.Plan.HealMicros / 1000}ms), the running nodes {what}:");
        foreach (var node in Run.Nodes)
        {
            var e = node.Engine;
            text.Append(node.IsUp
                ? $" n{node.Index}[{e.State} in {e.Ring} ({string.Join(' ', e.Members.Select(Run.Describe))}), probes {node.ProbesDelivered}, aru {e.MyAru}, delivered {e.DeliveredUpTo}, backlog {node.Backlog}, queued {node.Outbound.PendingPackets}, group exchange {node.Groups?.Layer.ExchangeUnderway}]"
                : $" n{node.Index}[{node.Status}]");
        }

        return text.ToString();
    }

    private bool IsFlapping()
    {
        var nodes = Run.Nodes;
        _installedAtHeal ??= [.. nodes.Select(n => n.RegularConfigurationTimes.Count)];
        for (int i = 0; i < nodes.Count; i++)
        {
            int installed = nodes[i].RegularConfigurationTimes.Count - _installedAtHeal[i];
            if (installed > ReformationLimit)
            {
                _flapping = $"the ring keeps reforming after the last fault (at {Run.Scenario.Plan.HealMicros / 1000}ms): n{i} installed {installed} rings by {Run.Now / 1000}ms, more than {ReformationLimit}";
                HasFailed = true;
                return true;
            }
        }

        return false;
    }

    private bool OneRingOfLiveNodes()
    {
        var ring = default(Ring.RingId);
        int live = 0;
        foreach (var node in Run.Nodes)
        {
            if (!node.IsUp)
            {
                continue;
            }

            var engine = node.Engine;
            if (engine.State != MembershipState.Operational || node.InTransition || (live > 0 && engine.Ring != ring))
            {
                return false;
            }

            ring = engine.Ring;
            live++;
        }

        var members = Run.Nodes.First(n => n.IsUp).Engine.Members;
        return members.Count == live && members.All(m => Run.NodeById(m).IsUp);
    }
}
