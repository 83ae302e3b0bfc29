using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Verification;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Feeds every node incarnation's deliveries, configurations, submissions and end to the
/// <see cref="EvsVerifier"/> (extended virtual synchrony, total order, FIFO, no duplicates, safe
/// and self delivery, ring-id uniqueness); its violations are reported under the property's name.
/// </summary>
public sealed class EvsChecker : Checker
{
    private readonly EvsVerifier _verifier;

    /// <summary>Creates the checker.</summary>
    public EvsChecker(SimulationRun run)
        : base(run) => _verifier = new EvsVerifier(run.Describe, v => Run.Report(v.Property, v.Message));

    /// <inheritdoc />
    public override string Name => "EVS";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        if (!delivery.HasId || (uint)delivery.Id.Node >= (uint)Run.Nodes.Count)
        {
            return; // the payload checker reports it
        }

        var d = delivery.Delivery;
        _verifier.Record(IncarnationOf(delivery.Node), new Delivered(KeyOf(delivery.Id), d.Sender, d.Ring, d.Sequence, d.Index, d.Service == Ring.ServiceType.Safe));
    }

    /// <inheritdoc />
    public override void OnConfiguration(SimulatedNode node, ConfigurationChange change)
    {
        var kind = change.Kind == ConfigurationKind.Regular ? ConfigKind.Regular : ConfigKind.Transitional;
        _verifier.Record(IncarnationOf(node), new Configuration(kind, change.Ring, change.PreviousRing, change.Members));
    }

    /// <inheritdoc />
    public override void OnSubmitted(SimulatedNode node, Submission submission) =>
        _verifier.Record(IncarnationOf(node), new Submitted(KeyOf(submission.Id)));

    /// <inheritdoc />
    public override void OnIncarnationEnded(SimulatedNode node) =>
        _verifier.Record(IncarnationOf(node), node.Status == NodeStatus.Left ? new Left() : new Crashed());

    /// <inheritdoc />
    public override void AtEnd() => _verifier.Finish();

    private static Incarnation IncarnationOf(SimulatedNode node) => new(node.Id, node.Incarnation);

    private MessageKey KeyOf(MessageId id) => new(Run.Nodes[id.Node].Id, id.Counter);
}
