using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using SpreadNet.Samples.ClusterDemo.Members;
using SpreadNet.Samples.ClusterDemo.PubSub;
using StackExchange.Redis;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>Builds the demo's silo and client hosts: plain <c>Host.CreateApplicationBuilder</c> and <c>UseOrleans</c>.</summary>
internal static class Hosts
{
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A silo host: Orleans, the Spread stream provider "chat" (on the ring "streams"), Spread groups
    /// on the ring "groups", the silo's member. <paramref name="pubSub"/>, when given, is the
    /// pub-sub store the silos of this process share (see <see cref="AddPubSubStore"/>).
    /// </summary>
    public static IHost Silo(DemoSettings settings, int silo, MemberLog log, SharedPubSubStore? pubSub = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder, settings);
        builder.Services.AddSingleton(log);
        builder.UseOrleans(orleans =>
        {
            orleans.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = "spreadnet-demo";
            });
            orleans.Configure<SiloOptions>(o => o.SiloName = Chat.SiloName(silo));
            orleans.Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = settings.Address;
                o.SiloPort = settings.SiloPortOf(silo);
                o.GatewayPort = settings.GatewayPortOf(silo);
            });
            if (settings.Clustering == Clustering.Redis)
            {
                orleans.UseRedisClustering(settings.Redis);
            }
            else
            {
                orleans.UseDevelopmentClustering(settings.PrimaryEndPoint);
            }

            // Orleans' defaults take about 30 s to declare a crashed silo dead; the demo's kill is
            // noticed in a few seconds (missed probes of 1 s). The ring itself reforms in about 2.4 s.
            orleans.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
            });

            // A call in flight to a silo that dies waits for its response timeout (30 s by default)
            // and can hold up the stream's delivery that long; the demo's calls are small.
            orleans.Configure<SiloMessagingOptions>(o =>
            {
                o.ResponseTimeout = ResponseTimeout;
                o.SystemResponseTimeout = ResponseTimeout;
            });
            orleans.AddPlacementDirector<HomeSiloPlacement, HomeSiloPlacementDirector>();
            AddPubSubStore(orleans, settings, pubSub);
            orleans.AddSpreadRing(SpreadNet.StreamProvider.SpreadStreamOptions.DefaultRingName, o => o.Port = settings.RingPortOf(silo));
            orleans.AddSpreadStreams(Chat.Provider);
            orleans.AddSpreadRing(Chat.GroupRing, o => o.Port = settings.GroupRingPortOf(silo));
            orleans.AddSpreadGroups(Chat.GroupRing);
        });

        // After UseOrleans: hosted services start in order, and the member needs the silo running.
        builder.Services.AddHostedService<SiloMember>();
        return builder.Build();
    }

    /// <summary>
    /// The pub-sub store "PubSubStore", where Orleans keeps which pulling agents produce a stream and
    /// which subscriptions consume it. It must outlive any one silo: a pulling agent registers as a
    /// producer once per stream, so if that record goes with a dead silo, subscriptions made or
    /// renewed afterwards never reach the agent and the stream stalls for them. With Redis
    /// clustering, Redis holds it (a real cluster needs durable pub-sub); in one process, the
    /// silos share <paramref name="shared"/>; a --silo process with development clustering keeps
    /// Orleans' memory storage, whose states live in grains spread over the silos, so killing a
    /// silo there can lose the subscriptions its memory held.
    /// </summary>
    private static void AddPubSubStore(ISiloBuilder orleans, DemoSettings settings, SharedPubSubStore? shared)
    {
        if (settings.Clustering == Clustering.Redis)
        {
            orleans.AddRedisGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, o => o.ConfigurationOptions = ConfigurationOptions.Parse(settings.Redis));
        }
        else if (shared is not null)
        {
            orleans.Services.AddGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME, (services, _) => new SharedGrainStorage(shared, services.GetRequiredService<Serializer>()));
        }
        else
        {
            orleans.AddMemoryGrainStorage(ProviderConstants.DEFAULT_PUBSUB_PROVIDER_NAME);
        }
    }

    /// <summary>A client host: the same clustering, the Spread stream provider "chat".</summary>
    public static IHost Client(DemoSettings settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder, settings);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = "spreadnet-demo";
            });
            if (settings.Clustering == Clustering.Redis)
            {
                client.UseRedisClustering(settings.Redis);
            }
            else
            {
                client.UseStaticClustering([.. settings.GatewayEndPoints]);
            }

            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.AddSpreadStreams(Chat.Provider);
        });
        return builder.Build();
    }

    /// <summary>Logs go to standard error, errors only unless --verbose: standard output is the demo's.</summary>
    private static void ConfigureLogging(HostApplicationBuilder builder, DemoSettings settings)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss.fff ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(settings.Verbose ? LogLevel.Information : LogLevel.Error);
    }
}
