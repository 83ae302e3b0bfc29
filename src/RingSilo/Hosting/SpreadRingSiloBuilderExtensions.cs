using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration.Internal;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SpreadNet.Ring;
using SpreadNet.RingSilo;
using SpreadNet.RingSilo.Hosting;
using SpreadNet.RingSilo.Peers;

namespace Orleans.Hosting;

/// <summary>Adds Spread rings to an Orleans silo.</summary>
public static class SpreadRingSiloBuilderExtensions
{
    /// <summary>Adds a Spread ring named <paramref name="name"/> with default settings; see <see cref="AddSpreadRing(ISiloBuilder, string, Action{SpreadRingOptions})"/>.</summary>
    public static ISiloBuilder AddSpreadRing(this ISiloBuilder builder, string name) =>
        builder.AddSpreadRing(name, static _ => { });

    /// <summary>
    /// Adds a Spread ring named <paramref name="name"/> to the silo. The silos of the cluster that
    /// add a ring of the same name form one ring: each advertises the ring's endpoint and settings in
    /// its Orleans silo metadata, and the ring's members follow cluster membership (no seed list).
    /// The ring starts before application services, streams and grains
    /// (<see cref="SpreadRing.LifecycleStage"/>), refuses to start when an active silo's ring has
    /// different settings, and leaves gracefully when the silo stops. Reach it through
    /// <see cref="ISpreadRings"/> or as the keyed service <see cref="SpreadRing"/> named
    /// <paramref name="name"/>. Call once per ring; each ring has its own port and settings.
    /// This turns on Orleans silo metadata (<c>UseSiloMetadata</c>); an application that publishes
    /// metadata of its own calls <c>UseSiloMetadata</c> before its first <c>AddSpreadRing</c>, so
    /// that Orleans' metadata services are registered once.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The ring's name: 1 to 64 letters, digits, '.', '-' or '_'; the same on every silo of the ring.</param>
    /// <param name="configure">Sets the ring's options (validated when the silo starts).</param>
    /// <exception cref="ArgumentException">The name is not valid, or a ring of that name was already added.</exception>
    public static ISiloBuilder AddSpreadRing(this ISiloBuilder builder, string name, Action<SpreadRingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        ValidateName(name);
        var services = builder.Services;
        var registry = services.FirstOrDefault(d => d.ServiceType == typeof(SpreadRingRegistry))?.ImplementationInstance as SpreadRingRegistry
            ?? AddSharedServices(builder);
        registry.Add(name);

        services.AddOptions<SpreadRingOptions>(name).Configure(configure);
        services.AddKeyedSingleton(name, (_, _) => new SpreadRing(name));
        services.AddKeyedSingleton(name, (sp, _) => SpreadRingHost.Create(sp, name));
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredKeyedService<SpreadRingHost>(name));
        services.AddSingleton<IConfigurationValidator>(sp => SpreadRingOptionsValidator.Create(sp, name));
        return builder;
    }

    /// <summary>What every ring of the silo shares; added with the first ring.</summary>
    private static SpreadRingRegistry AddSharedServices(ISiloBuilder builder)
    {
        var services = builder.Services;
        var registry = new SpreadRingRegistry();
        services.AddSingleton(registry);
        services.AddSingleton<LocalRings>();
        services.AddSingleton<ISpreadRings, SpreadRings>();
        services.AddSingleton<ClusterRingDirectory>();
        services.AddFromExisting<ILifecycleParticipant<ISiloLifecycle>, ClusterRingDirectory>();
        AdvertiseInSiloMetadata(builder);
        return registry;
    }

    /// <summary>
    /// Publishes the rings in the silo's Orleans silo metadata, which every silo fetches from every
    /// joining or active silo. Orleans 10.4 takes metadata as a dictionary at configuration time, but
    /// a ring's endpoint depends on the silo's endpoint options, known only once the silo is built:
    /// the dictionary handed to <c>UseSiloMetadata</c> is filled by an options step registered just
    /// before Orleans' own (options steps run in registration order, and Orleans copies the
    /// dictionary in its step). <see cref="SpreadRingHost"/> checks at start that the advertisement
    /// got through.
    /// </summary>
    private static void AdvertiseInSiloMetadata(ISiloBuilder builder)
    {
        var advertisements = new Dictionary<string, string>(StringComparer.Ordinal);
        builder.Services.AddOptions<SiloMetadata>().Configure<LocalRings>((_, rings) => rings.WriteAdvertisements(advertisements));

        // UseSiloMetadata registers the metadata services and its options step; registered twice,
        // Orleans would fetch every silo's metadata twice over. When the application already called
        // it, only the options step (publishing the rings beside its own entries) is taken over.
        var scratch = new ServiceCollection();
        new ScratchSiloBuilder(scratch, builder.Configuration).UseSiloMetadata(advertisements);
        bool registered = builder.Services.Any(d => d.ServiceType == typeof(ISiloMetadataCache));
        foreach (var descriptor in scratch)
        {
            if (!registered || descriptor.ServiceType == typeof(IConfigureOptions<SiloMetadata>))
            {
                builder.Services.Add(descriptor);
            }
        }
    }

    private static void ValidateName(string name)
    {
        try
        {
            new RingOptions { Name = name }.Validate();
        }
        catch (RingConfigurationException ex) when (ex.Setting == nameof(RingOptions.Name))
        {
            throw new ArgumentException($"'{name}' cannot name a Spread ring: use 1 to 64 letters, digits, '.', '-' or '_', for example \"main\".", nameof(name), ex);
        }
        catch (RingConfigurationException)
        {
            // The name passed; the other settings of this probe are not the ring's.
        }
    }

    private sealed class ScratchSiloBuilder(IServiceCollection services, IConfiguration configuration) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = configuration;
    }
}
