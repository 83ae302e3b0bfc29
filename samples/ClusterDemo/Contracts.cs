using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>One chat line: the stream's event.</summary>
[GenerateSerializer, Immutable]
public sealed record ChatLine([property: Id(0)] string Author, [property: Id(1)] int Number, [property: Id(2)] string Text)
{
    public override string ToString() => $"{Author} #{Number}: {Text}";
}

/// <summary>A chat line as a member received it, with its position in the ring's total order (the same token at every silo).</summary>
[GenerateSerializer, Immutable]
public sealed record DeliveredLine([property: Id(0)] SpreadSequenceToken Token, [property: Id(1)] ChatLine Line);

/// <summary>A group view as a member received it.</summary>
/// <param name="Id">The view's id, the same at every member (ring, sequence, index).</param>
/// <param name="Kind">Regular or Transitional.</param>
/// <param name="Reason">Join, Leave, Disconnect or Network.</param>
/// <param name="Members">The members, by silo name, in ring order.</param>
[GenerateSerializer, Immutable]
public sealed record ViewRecord([property: Id(0)] string Id, [property: Id(1)] string Kind, [property: Id(2)] string Reason, [property: Id(3)] IReadOnlyList<string> Members)
{
    public string Describe() => $"{Kind,-12} {Reason,-10} [{string.Join(", ", Members)}]";
}

/// <summary>What one silo's member saw: its chat lines in order and its group views.</summary>
[GenerateSerializer, Immutable]
public sealed record MemberReport(
    [property: Id(0)] string Silo,
    [property: Id(1)] string SiloAddress,
    [property: Id(2)] IReadOnlyList<DeliveredLine> Lines,
    [property: Id(3)] int Repeats,
    [property: Id(4)] IReadOnlyList<ViewRecord> Views,
    [property: Id(5)] IReadOnlyList<string> RingMembers,
    [property: Id(6)] int Resubscriptions);
