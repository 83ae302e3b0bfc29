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
    private IGroupMember? _self;
    private (string Group, string Ring, IGroupGrain Grain)? _lastGroup;

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
        Group(group, ring).JoinAsync(Self);

    /// <summary>Leaves <paramref name="group"/> on <paramref name="ring"/> (reason Leave); see <see cref="IGroupGrain.LeaveAsync"/>.</summary>
    protected Task LeaveGroupAsync(string group, string ring = GroupKeys.DefaultRing) =>
        Group(group, ring).LeaveAsync(Self);

    /// <summary>Multicasts to <paramref name="group"/> on <paramref name="ring"/> as this member; see <see cref="IGroupGrain.MulticastAsync"/>.</summary>
    protected Task MulticastAsync(string group, object? payload, GroupServiceType service = GroupServiceType.Agreed, string ring = GroupKeys.DefaultRing) =>
        Group(group, ring).MulticastAsync(payload, service, Self);

    private IGroupMember Self => _self ??= this.AsReference<IGroupMember>();

    /// <summary>The group grain last used, kept: a member usually sends to one group, and getting it builds its key each time.</summary>
    private IGroupGrain Group(string group, string ring)
    {
        if (_lastGroup is { } last && string.Equals(last.Group, group, StringComparison.Ordinal) && string.Equals(last.Ring, ring, StringComparison.Ordinal))
        {
            return last.Grain;
        }

        var grain = GrainFactory.GetGroup(group, ring);
        _lastGroup = (group, ring, grain);
        return grain;
    }
}
