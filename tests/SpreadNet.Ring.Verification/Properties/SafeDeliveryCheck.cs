namespace SpreadNet.Ring.Verification;

/// <summary>
/// Safe delivery: a Safe message delivered by some member in regular configuration C (before its
/// transitional configuration) is delivered by every incarnation that installed C and then moved
/// on to another configuration; only those that crashed or left while in C are excused. (Those
/// still in C when the logs end are left to the liveness check.)
/// </summary>
internal sealed class SafeDeliveryCheck(VerificationContext context) : PropertyCheck(context)
{
    public override void Finish(IReadOnlyCollection<IncarnationHistory> nodes)
    {
        var safe = new Dictionary<RingId, Dictionary<MessageKey, Incarnation>>();
        foreach (var node in nodes)
        {
            foreach (var epoch in node.Epochs)
            {
                foreach (var d in epoch.RegularPart.Where(d => d.Safe))
                {
                    if (!safe.TryGetValue(epoch.Ring, out var messages))
                    {
                        safe.Add(epoch.Ring, messages = []);
                    }

                    messages.TryAdd(d.Message, node.Id);
                }
            }
        }

        foreach (var node in nodes)
        {
            foreach (var epoch in node.Epochs.Where(e => e.Next is not null && safe.ContainsKey(e.Ring)))
            {
                var mine = epoch.RegularPart.Concat(epoch.TransitionalPart).Select(d => d.Message).ToHashSet();
                foreach (var (message, by) in safe[epoch.Ring])
                {
                    if (!mine.Contains(message))
                    {
                        Context.Report(EvsProperty.SafeDelivery, $"{Context.Name(by)} delivered Safe {Context.Name(message)} in regular configuration {epoch.Ring}, but member {Context.Name(node.Id)} moved on to {epoch.Next} without delivering it");
                        break;
                    }
                }
            }
        }
    }
}
