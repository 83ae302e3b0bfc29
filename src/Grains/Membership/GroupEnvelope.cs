using Orleans.Runtime;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Membership;

/// <summary>What a group multicast carries in the ring: the application's payload and the sending grain, if named.</summary>
/// <param name="Payload">The application's message, serialized with its type.</param>
/// <param name="Sender">The grain id of the <c>sender</c> passed to <c>MulticastAsync</c>, or null.</param>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.groups.envelope")]
internal sealed record GroupEnvelope(
    [property: Id(0)] object? Payload,
    [property: Id(1)] GrainId? Sender);

/// <summary>
/// A directory message: members announced (a member session announces itself before its first
/// join; a silo re-announces its members when another silo's group service appears) or departed.
/// </summary>
/// <param name="Departed">Whether the members left (their ring sessions ended) rather than arrived.</param>
/// <param name="Members">The members, by ring name, with their identity and silo.</param>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.groups.announcement")]
internal sealed record DirectoryAnnouncement(
    [property: Id(0)] bool Departed,
    [property: Id(1)] GroupMemberInfo[] Members);
