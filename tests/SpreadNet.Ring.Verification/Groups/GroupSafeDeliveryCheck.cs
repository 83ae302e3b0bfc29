using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Safe delivery per group: a Safe message delivered to a member while its view of a target group
/// was regular reaches every member of that view, except members whose node crashed or left and a
/// sender that discarded its own message. Checked once the run has settled (before that, a member
/// may simply not have received it yet).
/// </summary>
internal sealed class GroupSafeDeliveryCheck(GroupContext context) : GroupCheck(context)
{
    private readonly List<(GroupMessageKey Message, string Group, ViewInstalled View, SessionKey By)> _safe = [];

    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not MessageReceived { Service: ServiceType.Safe } m)
        {
            return;
        }

        for (int i = 0; i < m.Groups.Count; i++)
        {
            string group = m.Groups[i];
            if (session.Views.TryGetValue(group, out var view) && view.Kind == GroupViewKind.Regular && view.Members.Contains(session.Key))
            {
                _safe.Add((m.Message, group, view, session.Key));
            }
        }
    }

    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        if (!settled)
        {
            return;
        }

        var reported = new HashSet<GroupMessageKey>();
        foreach (var (message, group, view, by) in _safe)
        {
            bool selfDiscard = Context.Sent.TryGetValue(message, out var sent) && sent.SelfDiscard;
            foreach (var member in view.Members)
            {
                var history = Context.Session(member);
                if (history.Vanished || history.Delivered.Contains(message) || (selfDiscard && member == message.Sender) || !reported.Add(message))
                {
                    continue;
                }

                Context.Report(GroupProperty.SafeDelivery, $"{Context.Name(by)} received Safe {Context.Name(message)} in regular view {view.Id} of {group} {Context.Name(view.Members)}, but member {Context.Name(member)} never did and did not crash");
            }
        }
    }
}
