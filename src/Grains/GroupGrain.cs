using Orleans.Concurrency;
using SpreadNet.Grains.Hosting;
using SpreadNet.Grains.Membership;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains;

/// <summary>
/// The entry point of one group (<see cref="IGroupGrain"/>): a stateless worker, so it runs on the
/// caller's silo and hands every call to that silo's group service of the ring.
/// </summary>
[StatelessWorker]
[Reentrant]
internal sealed class GroupGrain(GroupRings rings) : Grain, IGroupGrain
{
    private (GroupRing Ring, string Group)? _target;

    public Task JoinAsync(IGroupMember member)
    {
        var (ring, group) = Target();
        return ring.JoinAsync(member, group);
    }

    public Task LeaveAsync(IGroupMember member)
    {
        var (ring, group) = Target();
        return ring.LeaveAsync(member, group);
    }

    public Task MulticastAsync(object? payload, GroupServiceType service = GroupServiceType.Agreed, IGroupMember? sender = null)
    {
        var (ring, group) = Target();
        return ring.MulticastAsync(group, payload, service, sender);
    }

    private (GroupRing Ring, string Group) Target()
    {
        if (_target is { } target)
        {
            return target;
        }

        var (ringName, group) = GroupKeys.Parse(this.GetPrimaryKeyString());
        var resolved = (rings.Get(ringName), group);
        _target = resolved;
        return resolved;
    }
}
