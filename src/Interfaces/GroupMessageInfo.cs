namespace SpreadNet.Interfaces;

/// <summary>
/// A message multicast to a group, delivered to each of its members through
/// <see cref="IGroupMember.OnGroupMessageAsync"/>, in the same order at every member.
/// </summary>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.GroupMessageInfo")]
public sealed class GroupMessageInfo
{
    /// <summary>The group it was sent to.</summary>
    [Id(0)]
    public required string Group { get; init; }

    /// <summary>The ring name the group lives on.</summary>
    [Id(1)]
    public required string Ring { get; init; }

    /// <summary>
    /// Who sent it: the sending member, or, for a multicast without a member sender, the silo's own
    /// ring session (its <see cref="GroupMemberInfo.Member"/> is then the grain id of the
    /// <c>sender</c> passed to <see cref="IGroupGrain.MulticastAsync"/>, or null).
    /// </summary>
    [Id(2)]
    public required GroupMemberInfo Sender { get; init; }

    /// <summary>The service type it was sent with.</summary>
    [Id(3)]
    public required GroupServiceType Service { get; init; }

    /// <summary>Its position in the ring's total order, identical at every member.</summary>
    [Id(4)]
    public required GroupPosition Position { get; init; }

    /// <summary>
    /// The payload as sent: serialized once by Orleans' serializer at the sending silo, deserialized
    /// once at each receiving silo. Treat it as immutable: members of one silo share the instance.
    /// </summary>
    [Id(5)]
    public required object? Payload { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"Message {Position} from {Sender} to {Ring}/{Group} ({Service}): {Payload}";
}
