using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// The verifier's record of one session: its current view of each group, what it delivered, its
/// requests and its node's configuration. Properties read it; only <see cref="Apply"/> changes it,
/// after every property has observed the entry.
/// </summary>
internal sealed class SessionHistory(SessionKey key)
{
    public SessionKey Key { get; } = key;

    /// <summary>The last view of each group the session was handed (a self-leave view included).</summary>
    public Dictionary<string, ViewInstalled> Views { get; } = new(StringComparer.Ordinal);

    /// <summary>Per group, the views and the messages of that group the session delivered while a member, in order.</summary>
    public Dictionary<string, List<GroupItem>> Items { get; } = new(StringComparer.Ordinal);

    public HashSet<GroupMessageKey> Delivered { get; } = [];

    /// <summary>Per group, the id of the last regular view (the one a transitional view follows).</summary>
    public Dictionary<string, GroupViewId> LastRegular { get; } = new(StringComparer.Ordinal);

    /// <summary>The last request per group: true for a join, false for a leave.</summary>
    public Dictionary<string, bool> Requests { get; } = new(StringComparer.Ordinal);

    public HashSet<string> EverJoinRequested { get; } = new(StringComparer.Ordinal);

    public HashSet<string> EverLeaveRequested { get; } = new(StringComparer.Ordinal);

    /// <summary>The node's regular configuration, and its transitional one when a change is under way.</summary>
    public RingConfigured? Regular { get; private set; }

    public RingConfigured? Transitional { get; private set; }

    /// <summary>Nodes of the configuration the session's node is in now (the transitional one during a change).</summary>
    public IReadOnlyList<NodeId> CurrentNodes => Transitional?.Members ?? Regular?.Members ?? [];

    /// <summary>The ring whose configuration the node delivered last.</summary>
    public RingId CurrentRing => Transitional?.Ring ?? Regular?.Ring ?? default;

    public bool EndRequested { get; private set; }

    public bool Ended { get; private set; }

    public bool Vanished { get; private set; }

    public bool Over => Ended || Vanished;

    /// <summary>Whether the session is in <paramref name="group"/> by its own last view of it.</summary>
    public bool IsMember(string group) =>
        Views.TryGetValue(group, out var view) && view.Kind != GroupViewKind.SelfLeave && view.Members.Contains(Key);

    /// <summary>How <paramref name="view"/>, handed to this session now, compares with other members' views.</summary>
    public ViewKey KeyOf(ViewInstalled view)
    {
        bool transitional = view.Kind == GroupViewKind.Transitional;
        return new ViewKey(view.Id, transitional, transitional ? LastRegular.GetValueOrDefault(view.Group) : default, Regular?.Ring ?? default, Transitional?.Ring ?? default);
    }

    public void Apply(SessionEntry entry)
    {
        switch (entry)
        {
            case JoinRequested j:
                Requests[j.Group] = true;
                EverJoinRequested.Add(j.Group);
                break;
            case LeaveRequested l:
                Requests[l.Group] = false;
                EverLeaveRequested.Add(l.Group);
                break;
            case Groups.EndRequested:
                EndRequested = true;
                break;
            case RingConfigured { Kind: ConfigKind.Regular } r:
                Regular = r;
                Transitional = null;
                break;
            case RingConfigured t:
                Transitional = t;
                break;
            case ViewInstalled v:
                ItemsOf(v.Group).Add(new GroupItem(KeyOf(v), v.Kind == GroupViewKind.SelfLeave, default));
                Views[v.Group] = v;
                if (v.Kind == GroupViewKind.Regular)
                {
                    LastRegular[v.Group] = v.Id;
                }
                else if (v.Kind == GroupViewKind.SelfLeave)
                {
                    LastRegular.Remove(v.Group);
                }

                break;
            case MessageReceived m:
                Delivered.Add(m.Message);
                for (int i = 0; i < m.Groups.Count; i++)
                {
                    if (IsMember(m.Groups[i]) && IndexOf(m.Groups, m.Groups[i]) == i)
                    {
                        ItemsOf(m.Groups[i]).Add(new GroupItem(null, false, m.Message));
                    }
                }

                break;
            case SessionEnded:
                Ended = true;
                break;
            case SessionVanished:
                Vanished = true;
                break;
            default:
                break;
        }
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    private List<GroupItem> ItemsOf(string group)
    {
        if (!Items.TryGetValue(group, out var items))
        {
            items = [];
            Items[group] = items;
        }

        return items;
    }
}

/// <summary>
/// Names a view for comparison across members. Views are compared among members whose nodes were in
/// the same configuration when they installed them (same regular ring, same transitional one if a
/// change was under way): a message ordered in C is applied in regular C at some nodes and after
/// the transitional configuration at others, to different memberships, under the same view id.
/// Within that, a regular view is named by its id (a self-leave view is the leaver's side of the
/// regular view with the same id), a transitional view by its id and the regular view it follows
/// at the receiver (members that moved together from one view share it; members arriving from
/// elsewhere, another ring or an exchange that did not complete, get their own).
/// </summary>
internal readonly record struct ViewKey(GroupViewId Id, bool Transitional, GroupViewId After, RingId Regular, RingId Transition)
{
    public override string ToString() =>
        $"{(Transitional ? $"transitional {Id} (after {After})" : $"regular {Id}")} in {Regular}{(Transition == default ? "" : $" -> {Transition}")}";
}

/// <summary>A view (and whether it was the receiver's self-leave) or a message in one session's sequence of a group.</summary>
internal readonly record struct GroupItem(ViewKey? View, bool SelfLeave, GroupMessageKey Message);
