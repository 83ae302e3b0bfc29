using System.Net;
using System.Net.Sockets;

namespace SpreadNet.Testing;

/// <summary>Free UDP endpoints on 127.0.0.1, shared (as a linked source file) by the test projects.</summary>
internal static class LoopbackPorts
{
    /// <summary>
    /// Distinct free endpoints: every probe socket stays bound until all are chosen, so the same
    /// port is not handed out twice.
    /// </summary>
    public static IPEndPoint[] Free(int count)
    {
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            }

            return [.. sockets.Select(s => (IPEndPoint)s.LocalEndPoint!)];
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }
}
