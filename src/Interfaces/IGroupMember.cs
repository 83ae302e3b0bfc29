namespace SpreadNet.Interfaces;

/// <summary>
/// A member of groups: receives the messages and membership views of the groups it joined through
/// <see cref="IGroupGrain.JoinAsync"/>. A grain implements it (and joins with
/// <c>this.AsReference&lt;IGroupMember&gt;()</c>); a client implements it on an object and joins with
/// <c>client.CreateObjectReference&lt;IGroupMember&gt;(obj)</c>, keeping the object alive while it is a member.
/// </summary>
/// <remarks>
/// Calls come one at a time, each awaited before the next, in the ring's total order across all
/// the member's groups on one ring: every member of a group sees the same views and the same
/// messages between them in the same order. A call that throws is logged and delivery goes on with
/// the next event (the order is kept; the failed event is not retried). A client observer that can
/// no longer be reached is removed from its groups (reason <see cref="GroupChangeReason.Disconnect"/>).
/// A slow member holds back only its own deliveries, up to its receive limits.
/// </remarks>
[Alias("spreadnet.IGroupMember")]
public interface IGroupMember : IGrainObserver
{
    /// <summary>A new membership view of one of the member's groups (the first is the view its join created).</summary>
    [Alias("OnGroupViewAsync")]
    Task OnGroupViewAsync(GroupViewInfo view);

    /// <summary>A message multicast to one of the member's groups.</summary>
    [Alias("OnGroupMessageAsync")]
    Task OnGroupMessageAsync(GroupMessageInfo message);
}
