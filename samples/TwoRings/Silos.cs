using System.Net;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using SpreadNet.Ring;

namespace SpreadNet.Samples.TwoRings;

/// <summary>The sample's silo configuration: a vital ring and a bulk ring side by side.</summary>
internal static class Silos
{
    public const string Vital = "vital";
    public const string Bulk = "bulk";

    /// <summary>
    /// Both rings on every silo. "vital" (added first: UDP silo port + 1,000) uses the Vital preset:
    /// token loss 100 ms, so a crash reforms it in about 250 ms; it carries small, urgent messages.
    /// "bulk" (added second: UDP silo port + 1,100) keeps the LAN defaults and takes messages up to
    /// 4 MiB; the stream provider "bulk" runs on it. Each ring has its own socket and thread: a
    /// saturated bulk ring does not delay the vital one.
    /// </summary>
    public static ISiloBuilder AddTwoRings(this ISiloBuilder silo) => silo
        .AddSpreadRing(Vital, o => o.Preset = RingPreset.Vital)
        .AddSpreadRing(Bulk, o => o.MaxMessageSize = 4 << 20)
        .AddMemoryGrainStorage("PubSubStore")
        .AddSpreadStreams(Bulk, o => o.RingName = Bulk);

    public static IHost Create(int silo, int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.UseOrleans(orleans => orleans
            .Configure<ClusterOptions>(o =>
            {
                o.ClusterId = "spreadnet-two-rings";
                o.ServiceId = "spreadnet-two-rings";
            })
            .Configure<SiloOptions>(o => o.SiloName = $"silo{silo}")
            .Configure<EndpointOptions>(o =>
            {
                o.AdvertisedIPAddress = IPAddress.Loopback;
                o.SiloPort = siloPort + silo - 1;
                o.GatewayPort = gatewayPort + silo - 1;
            })
            .UseDevelopmentClustering(new IPEndPoint(IPAddress.Loopback, siloPort))
            .AddTwoRings());
        return builder.Build();
    }
}
