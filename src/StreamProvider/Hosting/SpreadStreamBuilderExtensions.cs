using Microsoft.Extensions.DependencyInjection;
using SpreadNet.RingSilo;
using SpreadNet.StreamProvider;

namespace Orleans.Hosting;

/// <summary>Adds the Spread stream provider to silos and clients.</summary>
public static class SpreadStreamBuilderExtensions
{
    /// <summary>Adds Spread stream provider <paramref name="name"/> with default options; see <see cref="AddSpreadStreams(ISiloBuilder, string, Action{SiloSpreadStreamConfigurator})"/>.</summary>
    public static ISiloBuilder AddSpreadStreams(this ISiloBuilder builder, string name) =>
        builder.AddSpreadStreams(name, static (SiloSpreadStreamConfigurator _) => { });

    /// <summary>Adds Spread stream provider <paramref name="name"/> with the given options.</summary>
    public static ISiloBuilder AddSpreadStreams(this ISiloBuilder builder, string name, Action<SpreadStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSpreadStreams(name, c => c.ConfigureSpread(configure));
    }

    /// <summary>
    /// Adds Spread stream provider <paramref name="name"/>: an Orleans persistent stream provider
    /// whose queues are a Spread ring (<see cref="SpreadStreamOptions.RingName"/>). Every silo receives
    /// every event in one total order; OnNextAsync completes once the ring has ordered the event.
    /// When the silo has no ring of that name yet, one is added with default settings
    /// (<c>AddSpreadRing(ringName)</c>): to tune it, call <c>AddSpreadRing</c> before this.
    /// Orleans needs a grain storage named "PubSubStore" for explicit subscriptions, as for every
    /// persistent stream provider.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider's name, as passed to <c>GetStreamProvider</c>.</param>
    /// <param name="configure">Configures the provider's and Orleans' persistent-stream options.</param>
    public static ISiloBuilder AddSpreadStreams(this ISiloBuilder builder, string name, Action<SiloSpreadStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SpreadStreamOptionsValidator.GroupName(name);
        // The ring name is needed now, to add the ring when the silo has none of that name: every
        // service step the configurator takes also goes to a probe collection the name is read from.
        var probe = new ServiceCollection();
        configure(new SiloSpreadStreamConfigurator(name, configureServices =>
        {
            builder.ConfigureServices(configureServices);
            configureServices(probe);
        }));
        var ringName = ProbeRingName(probe, name);
        // An empty ring name is left to the validator, which names the setting and the fix.
        if (!string.IsNullOrEmpty(ringName) && !builder.Services.Any(d => d.ServiceType == typeof(SpreadRing) && d.IsKeyedService && Equals(d.ServiceKey, ringName)))
        {
            builder.AddSpreadRing(ringName);
        }

        return builder;
    }

    /// <summary>Adds Spread stream provider <paramref name="name"/> to a client with default options.</summary>
    public static IClientBuilder AddSpreadStreams(this IClientBuilder builder, string name) =>
        builder.AddSpreadStreams(name, static (ClusterClientSpreadStreamConfigurator _) => { });

    /// <summary>Adds Spread stream provider <paramref name="name"/> to a client with the given options.</summary>
    public static IClientBuilder AddSpreadStreams(this IClientBuilder builder, string name, Action<SpreadStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        return builder.AddSpreadStreams(name, c => c.ConfigureSpread(configure));
    }

    /// <summary>
    /// Adds Spread stream provider <paramref name="name"/> to a client: the client has no ring; its
    /// producers send each batch to a silo (a stateless worker grain), which multicasts it; its
    /// subscribers are called by the silos' pulling agents, as with any persistent stream provider.
    /// </summary>
    public static IClientBuilder AddSpreadStreams(this IClientBuilder builder, string name, Action<ClusterClientSpreadStreamConfigurator> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        SpreadStreamOptionsValidator.GroupName(name);
        configure(new ClusterClientSpreadStreamConfigurator(name, builder));
        return builder;
    }

    private static string ProbeRingName(ServiceCollection probe, string name)
    {
        probe.AddOptions();
        using var services = probe.BuildServiceProvider();
        return services.GetRequiredService<Microsoft.Extensions.Options.IOptionsMonitor<SpreadStreamOptions>>().Get(name).RingName;
    }
}
