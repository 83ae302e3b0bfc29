using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>One chat line: the stream's event.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatLine([property: Id(0)] string Author, [property: Id(1)] int Number, [property: Id(2)] string Text)
{
    public override string ToString() => $"{Author} #{Number}: {Text}";
}

/// <summary>A presence notice ("alice is typing"): a group multicast, beside the stream's lines.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatNotice([property: Id(0)] string Author, [property: Id(1)] string Text)
{
    public override string ToString() => $"{Author} {Text}";
}

/// <summary>A chat line as a member received it, with its position in the ring's total order (the same token at every silo).</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveredLine([property: Id(0)] SpreadSequenceToken Token, [property: Id(1)] ChatLine Line);

/// <summary>
/// One event of the group as a member received it: a view (<paramref name="Kind"/> Regular or
/// Transitional, <paramref name="Reason"/> Join, Leave, Disconnect or Network, <paramref name="Members"/>
/// by grain identity in ring order) or a notice (<paramref name="Kind"/> "notice", from
/// <paramref name="Sender"/>). <paramref name="Position"/> is its place in the group ring's total
/// order, the same at every member.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record GroupEvent(
    [property: Id(0)] string Position,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Reason,
    [property: Id(3)] IReadOnlyList<string> Members,
    [property: Id(4)] string? Sender,
    [property: Id(5)] ChatNotice? Notice)
{
    public const string NoticeKind = "notice";

    public bool IsView => Notice is null;

    /// <summary>One line, with members and senders named by <paramref name="name"/>.</summary>
    public string Describe(Func<string, string> name) => IsView
        ? $"view    {Kind,-12} {Reason,-10} [{string.Join(", ", Members.Select(name))}]"
        : $"notice  {Notice,-26} from {name(Sender ?? "?")}";
}

/// <summary>What one member saw: its chat lines in order (silo members) and its group events.</summary>
/// <param name="Silo">The member's record name (silo1, ..., or the client's author).</param>
/// <param name="SiloAddress">Its silo's address (empty for the client).</param>
/// <param name="Member">Its grain identity in the group (null until it joined).</param>
[GenerateSerializer, Immutable]
public sealed record MemberReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string SiloAddress,
    [property: Id(2)] IReadOnlyList<DeliveredLine> Lines,
    [property: Id(3)] int Repeats,
    [property: Id(4)] IReadOnlyList<GroupEvent> Group,
    [property: Id(5)] IReadOnlyList<string> RingMembers,
    [property: Id(6)] int Resubscriptions,
    [property: Id(7)] string? Member);
