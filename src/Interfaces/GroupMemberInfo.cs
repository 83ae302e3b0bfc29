using Orleans.Runtime;

namespace SpreadNet.Interfaces;

/// <summary>
/// A member of a group as every member sees it. Two infos denote the same membership when their
/// <see cref="Name"/>s are equal.
/// </summary>
/// <param name="Name">
/// The member's name in the ring (<c>#session#node</c>): unique in the ring while the member is in
/// its groups, and the same at every member.
/// </param>
/// <param name="Member">
/// The member's identity: the grain id of a member grain, or the observer id of a client's member
/// object. The same at every member; <see langword="null"/> only when its silo's announcement did
/// not arrive in time (the member's silo left the ring meanwhile).
/// </param>
/// <param name="Silo">The silo the member joined at; <see langword="null"/> when <paramref name="Member"/> is.</param>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.GroupMemberInfo")]
public sealed record GroupMemberInfo(
    [property: Id(0)] string Name,
    [property: Id(1)] GrainId? Member,
    [property: Id(2)] SiloAddress? Silo)
{
    /// <inheritdoc />
    public override string ToString() => Member is { } member ? $"{member} ({Name})" : Name;
}
