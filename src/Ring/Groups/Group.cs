namespace SpreadNet.Ring.Groups;

/// <summary>One group's replicated state at this node: its members, in view order, and which of them live here.</summary>
internal sealed class Group
{
    public Group(string name)
    {
        Name = name;
        NameList = [name];
    }

    public string Name { get; }

    /// <summary>The name as a one-element list, shared by every message sent to this group alone.</summary>
    public string[] NameList { get; }

    /// <summary>Members ordered by node then session name (<see cref="GroupMember.CompareByRingOrder"/>).</summary>
    public List<GroupMember> Members { get; } = [];

    public List<ILocalMember> Local { get; } = [];

    /// <summary>A transitional view was delivered since the last regular one (a configuration change is under way).</summary>
    public bool InTransition { get; set; }

    public bool Contains(GroupMember member) => Members.BinarySearch(member, MemberOrder.Instance) >= 0;

    public bool Add(GroupMember member)
    {
        int index = Members.BinarySearch(member, MemberOrder.Instance);
        if (index >= 0)
        {
            return false;
        }

        Members.Insert(~index, member);
        return true;
    }

    public bool Remove(GroupMember member)
    {
        int index = Members.BinarySearch(member, MemberOrder.Instance);
        if (index < 0)
        {
            return false;
        }

        Members.RemoveAt(index);
        return true;
    }

    public GroupView View(GroupViewId id, GroupViewKind kind, ViewChangeReason reason, GroupMember[] joined, GroupMember[] left) =>
        new(Name, id, kind, reason, [.. Members], joined, left);

    private sealed class MemberOrder : IComparer<GroupMember>
    {
        public static readonly MemberOrder Instance = new();

        public int Compare(GroupMember? x, GroupMember? y) => GroupMember.CompareByRingOrder(x, y);
    }
}

/// <summary>What the group layer knows of one member: the groups it is in.</summary>
internal sealed class MemberState(GroupMember member)
{
    public GroupMember Member { get; } = member;

    public HashSet<Group> Groups { get; } = [];
}
