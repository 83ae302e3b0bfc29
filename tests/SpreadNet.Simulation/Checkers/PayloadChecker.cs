namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Every delivered message is one that was submitted, byte for byte: its header names a submitted
/// message, the engine names the right sender and service, and size and content match.
/// </summary>
public sealed class PayloadChecker(SimulationRun run) : Checker(run)
{
    /// <inheritdoc />
    public override string Name => "Payload";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        var d = delivery.Delivery;
        var (node, ring, sequence, index, from) = (delivery.Node.Index, d.Ring, d.Sequence, d.Index, d.Sender);
        string At() => $"n{node} delivery ({ring}, {sequence}, {index}) from {from}";
        if (!delivery.HasId)
        {
            Report($"{At()}: payload of {d.Payload.Length} bytes is not a simulated message");
            return;
        }

        if (!Run.Workload.TryGet(delivery.Id, out var submission))
        {
            Report($"{At()}: message {delivery.Id} was never submitted");
            return;
        }

        var sender = Run.Nodes[submission.Id.Node].Id;
        if (d.Sender != sender || d.Service != submission.Service || d.Payload.Length != submission.Size || delivery.DeclaredSize != submission.Size)
        {
            Report($"{At()}: message {delivery.Id} arrived as ({d.Sender}, {d.Service}, {d.Payload.Length} bytes), was submitted as ({sender}, {submission.Service}, {submission.Size} bytes)");
            return;
        }

        int mismatch = MessagePayload.FirstMismatch(d.Payload, delivery.Id);
        if (mismatch >= 0)
        {
            Report($"{At()}: message {delivery.Id} of {submission.Size} bytes is corrupt from byte {mismatch}");
        }
    }
}
