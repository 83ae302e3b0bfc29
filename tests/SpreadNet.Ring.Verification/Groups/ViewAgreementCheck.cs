using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// A view id names one view among the members that install it in the same ring configuration
/// (same regular configuration, and same transitional one if a change is under way): they see the
/// same members for the same reason. Transitional views are compared among members that come from
/// the same regular view (members arriving from other views get their own). Members in different
/// configurations may differ: a message delivered in regular C at one node is delivered after the
/// transitional configuration at another, where the departed nodes' members are already removed.
/// </summary>
internal sealed class ViewAgreementCheck(GroupContext context) : GroupCheck(context)
{
    private readonly Dictionary<(string Group, ViewKey Key), (ViewInstalled View, SessionKey By)> _first = [];

    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not ViewInstalled v || v.Kind == GroupViewKind.SelfLeave)
        {
            return;
        }

        var key = (Group: v.Group, Key: session.KeyOf(v));
        if (!_first.TryGetValue(key, out var first))
        {
            _first.Add(key, (v, session.Key));
            return;
        }

        if (first.View.Reason != v.Reason || !first.View.Members.SequenceEqual(v.Members))
        {
            Context.Report(GroupProperty.ViewAgreement, $"{Context.Name(session.Key)} got {key.Key} of {v.Group} ({v.Reason}) {Context.Name(v.Members)}, {Context.Name(first.By)} got it ({first.View.Reason}) {Context.Name(first.View.Members)}");
        }
    }
}
