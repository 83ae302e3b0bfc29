using Orleans.Placement;
using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// Places a grain keyed by a silo address (<c>SiloAddress.ToParsableString()</c>) on that silo
/// while it is active, and on the calling silo otherwise. Orleans may deactivate a grain at any
/// time (for example when the silo holding its directory entry leaves); this brings the next
/// activation back to its silo instead of wherever the next call comes from.
/// </summary>
[GenerateSerializer, Immutable]
public sealed class HomeSiloPlacement : PlacementStrategy;

/// <summary>Puts <see cref="HomeSiloPlacement"/> on a grain class.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class HomeSiloPlacementAttribute() : PlacementAttribute(new HomeSiloPlacement());

/// <summary>The director of <see cref="HomeSiloPlacement"/>.</summary>
internal sealed class HomeSiloPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var home = SiloAddress.FromParsableString(target.GrainIdentity.Key.ToString()!);
        var chosen = compatible.Contains(home) ? home
            : compatible.Contains(context.LocalSilo) ? context.LocalSilo
            : compatible[Random.Shared.Next(compatible.Length)];
        return Task.FromResult(chosen);
    }
}
