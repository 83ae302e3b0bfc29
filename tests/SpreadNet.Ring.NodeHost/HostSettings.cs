using System.Globalization;
using System.Net;
using SpreadNet.Ring;

namespace SpreadNet.Ring.NodeHost;

/// <summary>Command line of one ring-node process used by the multi-process tests.</summary>
internal sealed record HostSettings(IPEndPoint Listen, IReadOnlyList<IPEndPoint> Seeds, string LogPath, int Rate, RingPreset Preset, string? StateDirectory, long Incarnation)
{
    public const string Usage = """
        SpreadNet.Ring.NodeHost: one ring node that sends a steady load and logs what it delivers.
          --listen IP:PORT     this node's endpoint (required)
          --seed IP:PORT       a seed node (repeatable)
          --log PATH           delivery log (required): one line per configuration and message
          --rate N             messages/s this node submits (default 100)
          --preset lan|vital   timeout preset (default vital)
          --state-dir DIR      where the ring sequence is kept across restarts
          --incarnation N      which start of this node this is (0, 1, ...): part of every message's name
        Stops gracefully (leaving the ring) on SIGTERM or when standard input closes.
        """;

    public static HostSettings Parse(string[] args)
    {
        IPEndPoint? listen = null;
        var seeds = new List<IPEndPoint>();
        string? log = null;
        int rate = 100;
        var preset = RingPreset.Vital;
        string? state = null;
        long incarnation = 0;
        for (int i = 0; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--listen": listen = IPEndPoint.Parse(value); break;
                case "--seed": seeds.Add(IPEndPoint.Parse(value)); break;
                case "--log": log = value; break;
                case "--rate": rate = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--preset": preset = Enum.Parse<RingPreset>(value, ignoreCase: true); break;
                case "--state-dir": state = value; break;
                case "--incarnation": incarnation = long.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }

            i++;
        }

        return new HostSettings(
            listen ?? throw new ArgumentException($"--listen is required.\n{Usage}"),
            seeds,
            log ?? throw new ArgumentException($"--log is required.\n{Usage}"),
            rate,
            preset,
            state,
            incarnation);
    }
}
