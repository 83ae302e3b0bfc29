namespace SpreadNet.Interfaces;

/// <summary>
/// A membership view of one group, delivered to each of its members through
/// <see cref="IGroupMember.OnGroupViewAsync"/>. Every member receives the same views, and the same
/// messages between two views, in the same order (virtual synchrony).
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.GroupViewInfo")]
public sealed class GroupViewInfo
{
    /// <summary>The group's name.</summary>
    [Id(0)]
    public required string Group { get; init; }

    /// <summary>The ring name the group lives on.</summary>
    [Id(1)]
    public required string Ring { get; init; }

    /// <summary>The view's id: where it sits in the ring's total order, identical at every member.</summary>
    [Id(2)]
    public required GroupPosition Id { get; init; }

    /// <summary>Regular, transitional or self-leave.</summary>
    [Id(3)]
    public required GroupViewKind Kind { get; init; }

    /// <summary>What changed the membership.</summary>
    [Id(4)]
    public required GroupChangeReason Reason { get; init; }

    /// <summary>The members, in ring order (the same order at every member).</summary>
    [Id(5)]
    public required IReadOnlyList<GroupMemberInfo> Members { get; init; }

    /// <summary>Members added since the previous view.</summary>
    [Id(6)]
    public required IReadOnlyList<GroupMemberInfo> Joined { get; init; }

    /// <summary>Members removed since the previous view.</summary>
    [Id(7)]
    public required IReadOnlyList<GroupMemberInfo> Left { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Kind} view {Id} of {Ring}/{Group} ({Reason}): [{string.Join(", ", Members)}]";
}
