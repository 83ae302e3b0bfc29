using Microsoft.Extensions.DependencyInjection;
using SpreadNet.Grains.Hosting;

namespace SpreadNet.Grains;

/// <summary>Ends a grain's group memberships.</summary>
public static class GroupMembershipExtensions
{
    /// <summary>
    /// Removes the grain from every group it joined at this silo, on every ring (the other members
    /// see it leave with reason Disconnect), and stops deliveries to it. Call it from
    /// <c>OnDeactivateAsync</c> (as <see cref="GroupMemberGrain"/> does): a delivery to a deactivated
    /// grain would activate it again. Does nothing on a silo without group services.
    /// </summary>
    public static Task LeaveAllGroupsAsync(this IGrainBase grain)
    {
        ArgumentNullException.ThrowIfNull(grain);
        var context = grain.GrainContext;
        return context.ActivationServices.GetService<GroupRings>()?.RemoveEverywhereAsync(context.GrainId) ?? Task.CompletedTask;
    }
}
