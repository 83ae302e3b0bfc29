using System.Net;
using System.Net.Sockets;

namespace SpreadNet.Cluster.ProcessTests;

/// <summary>Runs of consecutive free ports on 127.0.0.1 (the demo numbers silo k's ports base + k - 1).</summary>
internal static class PortBlocks
{
    /// <summary>
    /// The first port of <paramref name="count"/> consecutive ports free for TCP and UDP, below the
    /// ephemeral range so that no outgoing connection takes one meanwhile; <paramref name="avoid"/>
    /// are ports already handed out.
    /// </summary>
    public static int Free(int count, ISet<int> avoid)
    {
        for (int attempt = 0; attempt < 1000; attempt++)
        {
            int first = Random.Shared.Next(20_000, 30_000 - count);
            var ports = Enumerable.Range(first, count).ToList();
            if (ports.Any(avoid.Contains) || !ports.All(IsFree))
            {
                continue;
            }

            ports.ForEach(p => avoid.Add(p));
            return first;
        }

        throw new InvalidOperationException($"No {count} consecutive free ports found on 127.0.0.1.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
