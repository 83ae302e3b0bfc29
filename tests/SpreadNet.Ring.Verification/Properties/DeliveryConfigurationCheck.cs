namespace SpreadNet.Ring.Verification;

/// <summary>
/// A message is delivered in the configuration that ordered it: its ring is the incarnation's
/// current regular configuration, whether before the transitional configuration that closes it
/// or after. Together with <see cref="TotalOrderCheck"/> this puts configuration changes at the
/// same place relative to messages at every node.
/// </summary>
internal sealed class DeliveryConfigurationCheck(VerificationContext context) : PropertyCheck(context)
{
    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Delivered d)
        {
            return;
        }

        if (node.Current is null)
        {
            Context.Report(EvsProperty.DeliveryConfiguration, $"{Context.Name(node.Id)} delivered {Context.Name(d.Message)} of ring {d.Ring} before installing any configuration");
        }
        else if (d.Ring != node.Current.Ring)
        {
            Context.Report(EvsProperty.DeliveryConfiguration, $"{Context.Name(node.Id)} delivered {Context.Name(d.Message)} ordered in ring {d.Ring} while its configuration is {node.Current.Ring}{(node.InTransition ? " (transitional)" : "")}");
        }
    }
}
