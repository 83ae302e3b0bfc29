using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Orleans.Runtime;
using SpreadNet.Ring;
using SpreadNet.RingSilo.Peers;

namespace SpreadNet.RingSilo.Hosting;

/// <summary>One ring of this silo as configured: its options, its endpoint and what it advertises.</summary>
/// <param name="Name">The ring's name.</param>
/// <param name="Options">The ring's settings as given to <c>AddSpreadRing</c>.</param>
/// <param name="Advertisement">Its endpoint (with the port chosen, if it was 0) and the settings compared between members.</param>
internal sealed record LocalRing(string Name, SpreadRingOptions Options, RingAdvertisement Advertisement)
{
    /// <summary>The ring node's options, with <paramref name="seeds"/> to contact at start.</summary>
    public RingOptions CreateRingOptions(IEnumerable<IPEndPoint> seeds)
    {
        var options = Options.ToRingOptions(Name, Advertisement.EndPoint);
        foreach (var seed in seeds)
        {
            options.Seeds.Add(seed);
        }

        return options;
    }
}

/// <summary>
/// The rings of this silo, each resolved once (endpoint, validated settings, advertisement), so that
/// the validator, the silo metadata and the ring host agree, a port chosen for <c>Port = 0</c>
/// included.
/// </summary>
internal sealed class LocalRings(SpreadRingRegistry registry, IOptionsMonitor<SpreadRingOptions> options, ILocalSiloDetails silo)
{
    private readonly ConcurrentDictionary<string, Lazy<LocalRing>> _rings = new(StringComparer.Ordinal);

    /// <summary>The ring names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => registry.Names;

    /// <summary>The local silo.</summary>
    public ILocalSiloDetails Silo => silo;

    /// <summary>Ring <paramref name="name"/>, resolved and validated.</summary>
    /// <exception cref="OrleansConfigurationException">A setting of the ring is wrong; the message names it and the fix.</exception>
    public LocalRing Get(string name) =>
        _rings.GetOrAdd(name, n => new Lazy<LocalRing>(() => Resolve(n))).Value;

    /// <summary>
    /// Adds the advertisement of every valid ring to <paramref name="metadata"/> (silo metadata). An
    /// invalid ring is left out here: the configuration validator stops the silo with its message.
    /// </summary>
    public void WriteAdvertisements(IDictionary<string, string> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var advertised = new List<string>();
        foreach (var name in Names)
        {
            try
            {
                metadata[RingAdvertisement.KeyOf(name)] = Get(name).Advertisement.Format();
                advertised.Add(name);
            }
            catch (OrleansConfigurationException)
            {
                // Reported by SpreadRingOptionsValidator before the silo starts.
            }
        }

        metadata[RingAdvertisement.RingsKey] = string.Join(',', advertised);
    }

    private LocalRing Resolve(string name)
    {
        var ringOptions = options.Get(name);
        var endPoint = RingEndPointRule.Resolve(name, registry.IndexOf(name), ringOptions, silo.SiloAddress.Endpoint);
        if (endPoint.Port == 0)
        {
            endPoint = new IPEndPoint(endPoint.Address, FreeUdpPort(endPoint.Address));
        }

        var nodeOptions = ringOptions.ToRingOptions(name, endPoint);
        try
        {
            nodeOptions.Validate();
        }
        catch (RingConfigurationException ex)
        {
            throw new OrleansConfigurationException($"Spread ring '{name}': {ex.Message} Ring settings are set with siloBuilder.AddSpreadRing(\"{name}\", options => ...).", ex);
        }

        return new LocalRing(name, ringOptions, new RingAdvertisement(endPoint, RingAdvertisement.SettingsOf(nodeOptions)));
    }

    /// <summary>
    /// A UDP port free now on <paramref name="address"/>. The ring binds it at start, moments later;
    /// the port must be known before that because the silo advertises it while it is configured.
    /// </summary>
    private static int FreeUdpPort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
