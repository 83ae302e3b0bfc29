namespace SpreadNet.Ring.Verification;

/// <summary>
/// Ring ids are never reused: within an incarnation the regular configurations installed have
/// growing sequence numbers, and no node installs the same ring id in two incarnations (a
/// restarted node, with or without persisted state, must not bring an old ring id back). Together
/// with <see cref="MembershipAgreementCheck"/> (one id, one member set) this makes a ring id name
/// one ring.
/// </summary>
internal sealed class RingIdUniquenessCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<Incarnation, RingId> _last = [];
    private readonly Dictionary<(NodeId, RingId), Incarnation> _installed = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Configuration { Kind: ConfigKind.Regular } c)
        {
            return;
        }

        string who = Context.Name(node.Id);
        if (_last.TryGetValue(node.Id, out var last) && c.Ring.Sequence <= last.Sequence)
        {
            Context.Report(EvsProperty.RingIdUniqueness, $"{who} installed ring {c.Ring} after {last}: ring sequences must grow");
        }

        _last[node.Id] = c.Ring;
        if (!_installed.TryAdd((node.Id.Node, c.Ring), node.Id) && _installed[(node.Id.Node, c.Ring)] is var earlier && earlier != node.Id)
        {
            Context.Report(EvsProperty.RingIdUniqueness, $"{who} installed ring {c.Ring}, which its earlier incarnation {Context.Name(earlier)} installed: a restart reused a ring id");
        }
    }
}
