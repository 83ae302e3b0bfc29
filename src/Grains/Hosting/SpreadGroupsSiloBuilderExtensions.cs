using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using SpreadNet.Grains;
using SpreadNet.Grains.Hosting;
using SpreadNet.Grains.Membership;
using SpreadNet.Interfaces;
using SpreadNet.RingSilo;

namespace Orleans.Hosting;

/// <summary>Adds SpreadNet group grains to a silo.</summary>
public static class SpreadGroupsSiloBuilderExtensions
{
    /// <summary>
    /// Lets grains and clients join groups on ring <paramref name="ring"/> through this silo
    /// (<c>GrainFactory.GetGroup(group, ring)</c>): each member registered here gets a ring session
    /// of its own, and its messages and views are delivered in ring order. Call it on every silo,
    /// once per ring. When the silo has no ring of that name yet, one is added with default settings
    /// (<c>AddSpreadRing(ring)</c>): to tune the ring, call <c>AddSpreadRing</c> before this.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="ring">The ring's name (<see cref="GroupKeys.DefaultRing"/>, "groups", by default).</param>
    /// <param name="configure">Sets the group service's options (validated when the silo starts).</param>
    /// <exception cref="ArgumentException">The ring name is not valid, or groups were already added for it.</exception>
    public static ISiloBuilder AddSpreadGroups(this ISiloBuilder builder, string ring = GroupKeys.DefaultRing, Action<SpreadGroupsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        GroupKeys.ValidateRing(ring);
        var services = builder.Services;
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(GroupRingRegistry))?.ImplementationInstance as GroupRingRegistry;
        if (registry is null)
        {
            registry = new GroupRingRegistry();
            services.AddSingleton(registry);
            services.AddSingleton<GroupRings>();
        }

        registry.Add(ring);
        services.AddOptions<SpreadGroupsOptions>(ring).Configure(configure ?? (static _ => { }));
        services.AddKeyedSingleton(ring, (sp, _) => GroupRing.Create(sp, ring));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredKeyedService<GroupRing>(ring));
        services.AddSingleton<IConfigurationValidator>(sp => SpreadGroupsOptionsValidator.Create(sp, ring));
        if (!services.Any(d => d.ServiceType == typeof(SpreadRing) && d.IsKeyedService && Equals(d.ServiceKey, ring)))
        {
            builder.AddSpreadRing(ring);
        }

        return builder;
    }
}
