using SpreadNet.Interfaces;

namespace SpreadNet.Grains;

/// <summary>
/// A grain that is a group member: it joins, leaves and multicasts as itself, and leaves all its
/// groups (reason <see cref="GroupChangeReason.Disconnect"/>) when it deactivates. Derive from it, or
/// implement <see cref="IGroupMember"/> directly and call
/// <see cref="GroupMembershipExtensions.LeaveAllGroupsAsync"/> from <c>OnDeactivateAsync</c>.
/// </summary>
public abstract class GroupMemberGrain : Grain, IGroupMember
{
    /// <inheritdoc />
    public abstract Task OnGroupViewAsync(GroupViewInfo view);

    /// <inheritdoc />
    public abstract Task OnGroupMessageAsync(GroupMessageInfo message);

    /// <summary>Leaves every group on this silo's rings (reason Disconnect), then deactivates.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await this.LeaveAllGroupsAsync().ConfigureAwait(true);
        await base.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(true);
    }

    /// <summary>Joins <paramref name="group"/> on <paramref name="ring"/>; see <see cref="IGroupGrain.JoinAsync"/>.</summary>
    protected Task JoinGroupAsync(string group, string ring = GroupKeys.DefaultRing) =>
        GrainFactory.GetGroup(group, ring).JoinAsync(this.AsReference<IGroupMember>());

    /// <summary>Leaves <paramref name="group"/> on <paramref name="ring"/> (reason Leave); see <see cref="IGroupGrain.LeaveAsync"/>.</summary>
    protected Task LeaveGroupAsync(string group, string ring = GroupKeys.DefaultRing) =>
        GrainFactory.GetGroup(group, ring).LeaveAsync(this.AsReference<IGroupMember>());

    /// <summary>Multicasts to <paramref name="group"/> on <paramref name="ring"/> as this member; see <see cref="IGroupGrain.MulticastAsync"/>.</summary>
    protected Task MulticastAsync(string group, object? payload, GroupServiceType service = GroupServiceType.Agreed, string ring = GroupKeys.DefaultRing) =>
        GrainFactory.GetGroup(group, ring).MulticastAsync(payload, service, this.AsReference<IGroupMember>());
}
