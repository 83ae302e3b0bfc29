using System.Globalization;
using System.Net;
using SpreadNet.Ring;

namespace SpreadNet.Samples.RingDemo;

/// <summary>The demo's command line.</summary>
internal sealed record DemoSettings(int Nodes, int BasePort, int Count, int? Node, bool Processes, bool Interactive)
{
    public const string Usage = """
        SpreadNet ring demo: ring nodes on 127.0.0.1 deliver every node's messages in one order.

          (no flags)        3 nodes in this process, each sending generated messages
          --interactive     lines you type are sent from node 1 (end with an empty line)
          --processes       the same 3 nodes, one child process each
          --node N          run only node N (1-based); start the others in other terminals
          --nodes N         number of nodes (default 3)
          --count N         messages each node generates (default 10)
          --port P          UDP port of node 1; node k uses P+k-1 (default 48031)
        """;

    public static DemoSettings Parse(string[] args)
    {
        int nodes = 3, port = 48031, count = 10;
        int? node = null;
        bool processes = false, interactive = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--nodes": nodes = Int(args, ++i); break;
                case "--port": port = Int(args, ++i); break;
                case "--count": count = Int(args, ++i); break;
                case "--node": node = Int(args, ++i); break;
                case "--processes": processes = true; break;
                case "--interactive": interactive = true; break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }

        if (nodes < 1 || node < 1 || node > nodes)
        {
            throw new ArgumentException($"--node must be between 1 and --nodes ({nodes}).");
        }

        return new DemoSettings(nodes, port, count, node, processes, interactive);
    }

    public IPEndPoint EndPointOf(int node) => new(IPAddress.Loopback, BasePort + node - 1);

    public RingOptions OptionsFor(int node)
    {
        var options = new RingOptions { ListenEndPoint = EndPointOf(node) };
        for (int k = 1; k <= Nodes; k++)
        {
            options.Seeds.Add(EndPointOf(k));
        }

        return options;
    }

    private static int Int(string[] args, int i) =>
        i < args.Length ? int.Parse(args[i], CultureInfo.InvariantCulture) : throw new ArgumentException($"{args[i - 1]} needs a number.");
}
