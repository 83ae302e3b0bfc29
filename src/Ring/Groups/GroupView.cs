namespace SpreadNet.Ring.Groups;

/// <summary>Why a group's membership changed (Spread's CAUSED_BY_*).</summary>
public enum ViewChangeReason
{
    /// <summary>A session joined.</summary>
    Join,

    /// <summary>A session left the group.</summary>
    Leave,

    /// <summary>A session ended (disposed, or evicted for falling behind).</summary>
    Disconnect,

    /// <summary>The ring's configuration changed: members were lost with their nodes, or gained in a merge.</summary>
    Network,
}

/// <summary>The kind of a view (Spread's REG_MEMB_MESS, TRANSITION_MESS and self-leave).</summary>
public enum GroupViewKind
{
    /// <summary>A regular membership: the members of the group from now on.</summary>
    Regular,

    /// <summary>
    /// Delivered first after a ring configuration change: the members that moved together from the
    /// previous view. Messages between it and the next regular view are delivered only in it.
    /// </summary>
    Transitional,

    /// <summary>This session left the group (asked to, or its session is ending); nothing more of the group follows.</summary>
    SelfLeave,
}

/// <summary>
/// Identifies a group view, the same at every member: the ring configuration and position in the
/// ring's total order where the change happened.
/// </summary>
/// <param name="Ring">The ring configuration the view was installed in.</param>
/// <param name="Sequence">Ring sequence number of the message that caused the change (0 for a transitional view).</param>
/// <param name="Index">Position inside that packet.</param>
public readonly record struct GroupViewId(RingId Ring, long Sequence, int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"{Ring}/{Sequence}.{Index}";
}

/// <summary>
/// A membership view of one group. Every member of the group receives the same views in the same
/// order, and the same messages between two views (virtual synchrony).
/// </summary>
public sealed class GroupView
{
    internal GroupView(string group, GroupViewId id, GroupViewKind kind, ViewChangeReason reason, GroupMember[] members, GroupMember[] joined, GroupMember[] left)
    {
        Group = group;
        Id = id;
        Kind = kind;
        Reason = reason;
        Members = members;
        Joined = joined;
        Left = left;
    }

    /// <summary>The group's name.</summary>
    public string Group { get; }

    /// <summary>The view's id, identical at every member.</summary>
    public GroupViewId Id { get; }

    /// <summary>Regular, transitional or self-leave.</summary>
    public GroupViewKind Kind { get; }

    /// <summary>What changed the membership.</summary>
    public ViewChangeReason Reason { get; }

    /// <summary>The members, ordered by node (ring order) then session name, as at every member.</summary>
    public IReadOnlyList<GroupMember> Members { get; }

    /// <summary>Members added since the previous view.</summary>
    public IReadOnlyList<GroupMember> Joined { get; }

    /// <summary>Members removed since the previous view.</summary>
    public IReadOnlyList<GroupMember> Left { get; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} view {Id} of {Group} ({Reason}): [{string.Join(", ", Members)}]";
}
