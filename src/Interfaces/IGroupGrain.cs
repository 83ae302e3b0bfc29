namespace SpreadNet.Interfaces;

/// <summary>
/// The entry point of one group on one ring, keyed <c>ring/group</c> (get it with
/// <see cref="GroupGrainFactoryExtensions.GetGroup"/>). A stateless worker: it runs on the calling
/// grain's silo (for a client, on its gateway), and a message goes from there through that silo's
/// ring session to the members, so no single activation carries a group's traffic.
/// </summary>
[Alias("spreadnet.IGroupGrain")]
public interface IGroupGrain : IGrainWithStringKey
{
    /// <summary>
    /// Adds <paramref name="member"/> to the group, registering it at this silo (the caller's, or the
    /// client's gateway). Completes once the join is ordered in the ring: the member's first call is
    /// the view that includes it, and from then on it receives the group's messages and views.
    /// Joining twice does nothing. The member leaves with reason
    /// <see cref="GroupChangeReason.Disconnect"/> when its grain deactivates (a grain deriving from
    /// <c>GroupMemberGrain</c>, or calling <c>LeaveAllGroupsAsync</c> on deactivation), when its
    /// client can no longer be reached (found at the next delivery to it), or when it falls behind
    /// its receive limits. When this silo fails (crashes, or is cut off from the ring), the other
    /// members see it go with reason <see cref="GroupChangeReason.Network"/> (a transitional view
    /// naming it, then a regular view); a silo that shuts down gracefully ends its members' sessions
    /// as its ring leaves (reason <see cref="GroupChangeReason.Disconnect"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">The silo has no group service for this ring, or the ring does not run.</exception>
    [Alias("JoinAsync")]
    Task JoinAsync(IGroupMember member);

    /// <summary>
    /// Removes <paramref name="member"/> from the group (reason <see cref="GroupChangeReason.Leave"/>);
    /// it receives a <see cref="GroupViewKind.SelfLeave"/> view last. It must be called at the silo
    /// the member joined at, as the member's own calls are (a grain's go to its silo, a client's to
    /// its gateway): leaving a group it is not in at this silo does nothing.
    /// </summary>
    [Alias("LeaveAsync")]
    Task LeaveAsync(IGroupMember member);

    /// <summary>
    /// Multicasts <paramref name="payload"/> to the group's members, in the ring's total order with
    /// the group's views. The payload is any type Orleans can serialize (<c>[GenerateSerializer]</c>);
    /// it is serialized once at this silo and deserialized for each receiving member (each gets its
    /// own copy, so no member sees another's changes to it). Completes when the message is queued
    /// for the ring at this silo (it waits while the ring's send queue is full). A member of the group registered at this silo passed as <paramref name="sender"/>
    /// sends through its own ring session, so <see cref="GroupMessageInfo.Sender"/> names it;
    /// otherwise the silo's session sends, and the sender's grain id (if given) is carried with the message.
    /// </summary>
    /// <param name="payload">The message.</param>
    /// <param name="service">The delivery guarantee; <see cref="GroupServiceType.Agreed"/> by default.</param>
    /// <param name="sender">The sending member, if any.</param>
    /// <exception cref="ArgumentOutOfRangeException">The serialized message is larger than the ring's MaxMessageSize.</exception>
    [Alias("MulticastAsync")]
    Task MulticastAsync(object? payload, GroupServiceType service = GroupServiceType.Agreed, IGroupMember? sender = null);
}
