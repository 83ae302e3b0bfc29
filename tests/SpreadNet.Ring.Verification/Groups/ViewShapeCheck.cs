using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Each view is well formed for its receiver: members sorted (node, then session name) and
/// distinct, on nodes of the receiver's current configuration, the receiver among them; the change
/// from the receiver's previous view of the group is exactly the joined and left lists; and the
/// reason fits: a Join names one member that asked to join, Leave one that asked to leave,
/// Disconnect one that asked to end; a transitional view (reason Network) removes only members of
/// nodes that did not move with the receiver's node, and a regular Network view adds or removes
/// only members that asked for it (so members of a crashed node can only go in a transitional view).
/// </summary>
internal sealed class ViewShapeCheck(GroupContext context) : GroupCheck(context)
{
    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not ViewInstalled v)
        {
            return;
        }

        string At() => $"{Context.Name(session.Key)} got {v.Kind} view {v.Id} of {v.Group} ({v.Reason}) {Context.Name(v.Members)} (+{Context.Name(v.Joined)} -{Context.Name(v.Left)})";
        session.Views.TryGetValue(v.Group, out var previous);
        if (previous?.Kind == GroupViewKind.SelfLeave)
        {
            previous = null;
        }

        if (v.Kind == GroupViewKind.SelfLeave)
        {
            if (v.Reason != ViewChangeReason.Leave || v.Members.Count != 0 || v.Left.Count != 1 || v.Left[0] != session.Key || previous is null
                || !session.EverLeaveRequested.Contains(v.Group))
            {
                Fail($"{At()}: a self-leave view is the leaver's alone, after it asked to leave a group it was in (previous view: {Describe(previous)})");
            }

            return;
        }

        if (!IsSortedAndDistinct(v.Members))
        {
            Fail($"{At()}: members not sorted by node then name, or repeated");
        }

        if (!v.Members.Contains(session.Key))
        {
            Fail($"{At()}: the receiver is not a member");
        }

        var nodes = session.CurrentNodes;
        if (v.Members.Any(m => !nodes.Contains(m.Node)))
        {
            Fail($"{At()}: {Context.Name(v.Members.Where(m => !nodes.Contains(m.Node)))} live on nodes outside the receiver's configuration {Context.Name(nodes)}");
        }

        CheckChange(At, session, v, previous);
        CheckReason(At, session, v);
    }

    private static bool IsSortedAndDistinct(IReadOnlyList<SessionKey> members)
    {
        for (int i = 1; i < members.Count; i++)
        {
            int byNode = members[i - 1].Node.CompareTo(members[i].Node);
            if (byNode > 0 || (byNode == 0 && string.CompareOrdinal(members[i - 1].Name, members[i].Name) >= 0))
            {
                return false;
            }
        }

        return true;
    }

    private void CheckChange(Func<string> at, SessionHistory session, ViewInstalled v, ViewInstalled? previous)
    {
        if (previous is null)
        {
            if (v.Reason != ViewChangeReason.Join || v.Joined.Count != 1 || v.Joined[0] != session.Key)
            {
                Fail($"{at()}: the first view of a group must be the receiver's own join");
            }

            return;
        }

        // previous + joined - left = members, with joined new and left old: as counts, since members are distinct.
        bool joinedNew = v.Joined.All(m => !previous.Members.Contains(m) && v.Members.Contains(m));
        bool leftOld = v.Left.All(m => previous.Members.Contains(m) && !v.Members.Contains(m));
        bool restKept = v.Members.All(m => v.Joined.Contains(m) || previous.Members.Contains(m));
        if (!joinedNew || !leftOld || !restKept || previous.Members.Count + v.Joined.Count - v.Left.Count != v.Members.Count)
        {
            Fail($"{at()}: does not follow from the previous view {Describe(previous)}");
        }
    }

    private void CheckReason(Func<string> at, SessionHistory session, ViewInstalled v)
    {
        switch (v.Reason)
        {
            case ViewChangeReason.Join:
                if (v.Kind != GroupViewKind.Regular || v.Joined.Count != 1 || v.Left.Count != 0 || !Context.Session(v.Joined[0]).EverJoinRequested.Contains(v.Group))
                {
                    Fail($"{at()}: a join view adds one member that asked to join");
                }

                break;
            case ViewChangeReason.Leave:
                if (v.Kind != GroupViewKind.Regular || v.Left.Count != 1 || v.Joined.Count != 0 || !Context.Session(v.Left[0]).EverLeaveRequested.Contains(v.Group))
                {
                    Fail($"{at()}: a leave view removes one member that asked to leave");
                }

                break;
            case ViewChangeReason.Disconnect:
                if (v.Kind != GroupViewKind.Regular || v.Left.Count != 1 || v.Joined.Count != 0 || !Context.Session(v.Left[0]).EndRequested)
                {
                    Fail($"{at()}: a disconnect view removes one member that asked to end");
                }

                break;
            case ViewChangeReason.Network when v.Kind == GroupViewKind.Transitional:
                var stayed = v.Left.Where(m => session.CurrentNodes.Contains(m.Node)).ToArray();
                if (v.Joined.Count != 0 || stayed.Length > 0 || v.Id != new GroupViewId(session.CurrentRing, 0, 0))
                {
                    Fail($"{at()}: a transitional view (named after the new ring {session.CurrentRing}) only removes members of nodes that did not move along ({Context.Name(session.CurrentNodes)})");
                }

                break;
            case ViewChangeReason.Network:
                var unasked = v.Left.Where(m => !Context.Session(m).EverLeaveRequested.Contains(v.Group) && !Context.Session(m).EndRequested)
                    .Concat(v.Joined.Where(m => !Context.Session(m).EverJoinRequested.Contains(v.Group)))
                    .ToArray();
                if (unasked.Length > 0)
                {
                    Fail($"{at()}: {Context.Name(unasked)} joined or left without asking to");
                }

                break;
            default:
                Fail($"{at()}: unknown reason");
                break;
        }
    }

    private string Describe(ViewInstalled? view) =>
        view is null ? "none" : $"{view.Kind} {view.Id} ({view.Reason}) {Context.Name(view.Members)}";

    private void Fail(string message) => Context.Report(GroupProperty.ViewShape, message);
}
