using System.Net;
using System.Net.Sockets;

namespace SpreadNet.RingSilo.Hosting;

/// <summary>Where a hosted ring listens: the configured address and port, or the defaults derived from the silo's endpoint.</summary>
internal static class RingEndPointRule
{
    /// <summary>
    /// The endpoint of ring <paramref name="ring"/>, the <paramref name="index"/>th ring of the silo
    /// listening on <paramref name="siloEndPoint"/>; port 0 means a free port is chosen at start.
    /// </summary>
    /// <exception cref="Orleans.Runtime.OrleansConfigurationException">The address or port cannot be used; the message says how to fix it.</exception>
    public static IPEndPoint Resolve(string ring, int index, SpreadRingOptions options, IPEndPoint siloEndPoint)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(siloEndPoint);
        var address = options.ListenAddress ?? siloEndPoint.Address;
        if (address.AddressFamily != AddressFamily.InterNetwork || address.Equals(IPAddress.Any) || address.Equals(IPAddress.Broadcast))
        {
            throw SpreadRingErrors.Setting(
                ring,
                nameof(SpreadRingOptions.ListenAddress),
                options.ListenAddress is null ? $"is not set and the silo's advertised address is {address}" : $"is {address}",
                "set ListenAddress to this silo's concrete IPv4 address, for example 10.0.0.5 (rings speak IPv4 only so far, and other silos reach the ring there)");
        }

        int port = options.Port ?? siloEndPoint.Port + SpreadRingOptions.DefaultPortOffset + (SpreadRingOptions.DefaultPortStride * index);
        if (port is < 0 or > IPEndPoint.MaxPort)
        {
            throw SpreadRingErrors.Setting(
                ring,
                nameof(SpreadRingOptions.Port),
                options.Port is null ? $"is not set, and its default (silo port {siloEndPoint.Port} + {SpreadRingOptions.DefaultPortOffset} + {SpreadRingOptions.DefaultPortStride} x ring index {index}) is {port}" : $"is {port}",
                "set Port to a free UDP port from 1 to 65,535, or to 0 for any free port");
        }

        return new IPEndPoint(address, port);
    }
}
