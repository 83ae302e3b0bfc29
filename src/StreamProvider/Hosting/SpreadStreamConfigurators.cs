using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using SpreadNet.StreamProvider;
using SpreadNet.StreamProvider.Providers;

namespace Orleans.Hosting;

/// <summary>
/// Configures a Spread stream provider on a silo: <see cref="ConfigureSpread"/> for its own
/// settings, and Orleans' persistent-stream settings (pulling agent, balancer, pub-sub, lifecycle).
/// Sets the pulling agent's poll period to <see cref="SpreadStreamOptions.DefaultPollPeriod"/>.
/// </summary>
public sealed class SiloSpreadStreamConfigurator : SiloPersistentStreamConfigurator
{
    /// <summary>Creates the configurator of provider <paramref name="name"/>.</summary>
    public SiloSpreadStreamConfigurator(string name, Action<Action<IServiceCollection>> configureServicesDelegate)
        : base(name, configureServicesDelegate, SpreadQueueAdapterFactory.Create)
    {
        ConfigureDelegate(services =>
        {
            services.AddOptions<SpreadStreamOptions>(name);
            services.AddKeyedSingleton(name, (sp, _) => SpreadStreamQueues.Create(sp, name));
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredKeyedService<SpreadStreamQueues>(name));
            services.AddSingleton<IConfigurationValidator>(sp => SpreadStreamOptionsValidator.Create(sp, name));
        });
        this.ConfigurePullingAgent(ob => ob.Configure(o => o.GetQueueMsgsTimerPeriod = SpreadStreamOptions.DefaultPollPeriod));
    }

    /// <summary>Sets the provider's options.</summary>
    public SiloSpreadStreamConfigurator ConfigureSpread(Action<SpreadStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        this.Configure<SpreadStreamOptions>(ob => ob.Configure(configure));
        return this;
    }
}

/// <summary>Configures a Spread stream provider on a cluster client (producers go through a silo).</summary>
public sealed class ClusterClientSpreadStreamConfigurator : ClusterClientPersistentStreamConfigurator
{
    /// <summary>Creates the configurator of provider <paramref name="name"/>.</summary>
    public ClusterClientSpreadStreamConfigurator(string name, IClientBuilder builder)
        : base(name, builder, SpreadQueueAdapterFactory.Create)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<SpreadStreamOptions>(name);
        builder.Services.AddSingleton<IConfigurationValidator>(sp => SpreadStreamOptionsValidator.Create(sp, name));
    }

    /// <summary>Sets the provider's options (only <see cref="SpreadStreamOptions.QueueCount"/> matters on a client; keep it the same as on silos).</summary>
    public ClusterClientSpreadStreamConfigurator ConfigureSpread(Action<SpreadStreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        this.Configure<SpreadStreamOptions>(ob => ob.Configure(configure));
        return this;
    }
}
