namespace SpreadNet.Interfaces;

/// <summary>Gets group grains from a grain factory (a grain's <c>GrainFactory</c> or a cluster client).</summary>
public static class GroupGrainFactoryExtensions
{
    /// <summary>The entry point of <paramref name="group"/> on <paramref name="ring"/> (the silo's default group ring when not given).</summary>
    /// <exception cref="ArgumentException">The group or ring name is not valid (the message says why).</exception>
    public static IGroupGrain GetGroup(this IGrainFactory grainFactory, string group, string ring = GroupKeys.DefaultRing)
    {
        ArgumentNullException.ThrowIfNull(grainFactory);
        return grainFactory.GetGrain<IGroupGrain>(GroupKeys.Format(group, ring));
    }
}
