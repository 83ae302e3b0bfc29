using System.Globalization;
using System.Net;

namespace SpreadNet.Samples.ClusterDemo;

/// <summary>How the silos find each other: Orleans development clustering or Redis.</summary>
internal enum Clustering
{
    Development,
    Redis,
}

/// <summary>The demo's command line.</summary>
internal sealed record DemoSettings
{
    public const string Usage = """
        SpreadNet cluster demo: a replicated chat over a totally ordered Orleans stream (Spread ring
        "streams") and a group of grain members (Spread groups on ring "groups").

        Modes
          (no mode flag)    3 silos and a client in this process; silo 2 is killed and restarted
                            mid-run; ends with PASS or FAIL (exit code 0 or 1)
          --silo N          run silo N only (1-based) until Ctrl+C (or the end of redirected input)
          --client          connect to the running silos, join the group "chat-room", post a notice
                            and chat lines from each silo and from the client, check every member
                            saw the same stream order and the same group views and notices

        Options
          --silos N         silos in the cluster (3); --client waits for this many
          --count N         chat lines each author posts per round (4)
          --address A       IPv4 address this silo advertises and listens on (127.0.0.1); with
                            --client, the address of the gateways (development clustering)
          --silo-port P     TCP silo port of silo 1 (11111); silo N uses P+N-1
          --gateway-port G  TCP gateway port of silo 1 (30001); silo N uses G+N-1
          --ring-port R     UDP port of ring "streams" for silo 1 (silo port + 1000); silo N uses R+N-1;
                            0: any free port
          --group-ring-port Q  UDP port of ring "groups" for silo 1 (silo port + 1100); silo N uses
                            Q+N-1; 0: any free port (also the default when --ring-port is 0)
          --primary H:P     development clustering: silo 1's silo endpoint (--address:--silo-port)
          --gateways H:P,.. development clustering, --client: the gateways (--address, G..G+N-1)
          --clustering development|redis   membership: Orleans development clustering (silo 1 is
                            the primary and holds the membership table) or Redis (any silo may stop)
          --redis H:P       Redis server for --clustering redis (127.0.0.1:6379)
          --cluster-id ID   Orleans cluster id (spreadnet-demo)
          --verbose         show Orleans and SpreadNet logs (information and up) on standard error

        Ports to open between machines (defaults, silo N = 1, 2, 3, ...)
          TCP 11110+N   silo to silo (Orleans silo port)
          TCP 30000+N   client to silo (Orleans gateway port)
          UDP 12110+N   ring traffic between silos (Spread ring "streams": silo port + 1000)
          UDP 12210+N   ring traffic between silos (Spread ring "groups": silo port + 1100)
          TCP 6379      silos and clients to Redis, with --clustering redis
        """;

    public int? Silo { get; init; }

    public bool Client { get; init; }

    public int Silos { get; init; } = 3;

    public int Count { get; init; } = 4;

    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int SiloPort { get; init; } = 11111;

    public int GatewayPort { get; init; } = 30001;

    public int? RingPort { get; init; }

    public int? GroupRingPort { get; init; }

    public IPEndPoint? Primary { get; init; }

    public IReadOnlyList<IPEndPoint>? Gateways { get; init; }

    public Clustering Clustering { get; init; } = Clustering.Development;

    public string Redis { get; init; } = "127.0.0.1:6379";

    public string ClusterId { get; init; } = "spreadnet-demo";

    public bool Verbose { get; init; }

    public bool Help { get; init; }

    public static DemoSettings Parse(string[] args)
    {
        var settings = new DemoSettings();
        for (int i = 0; i < args.Length; i++)
        {
            string flag = args[i];
            settings = flag switch
            {
                "--silo" => settings with { Silo = Int(args, ++i, flag) },
                "--client" => settings with { Client = true },
                "--silos" => settings with { Silos = Int(args, ++i, flag) },
                "--count" => settings with { Count = Int(args, ++i, flag) },
                "--address" => settings with { Address = IPAddress.Parse(Value(args, ++i, flag)) },
                "--silo-port" => settings with { SiloPort = Int(args, ++i, flag) },
                "--gateway-port" => settings with { GatewayPort = Int(args, ++i, flag) },
                "--ring-port" => settings with { RingPort = Int(args, ++i, flag) },
                "--group-ring-port" => settings with { GroupRingPort = Int(args, ++i, flag) },
                "--primary" => settings with { Primary = IPEndPoint.Parse(Value(args, ++i, flag)) },
                "--gateways" => settings with { Gateways = [.. Value(args, ++i, flag).Split(',').Select(IPEndPoint.Parse)] },
                "--clustering" => settings with { Clustering = Enum.Parse<Clustering>(Value(args, ++i, flag), ignoreCase: true) },
                "--redis" => settings with { Redis = Value(args, ++i, flag) },
                "--cluster-id" => settings with { ClusterId = Value(args, ++i, flag) },
                "--verbose" => settings with { Verbose = true },
                "--help" or "-h" => settings with { Help = true },
                _ => throw new ArgumentException($"Unknown argument '{flag}'. Run with --help for the flags."),
            };
        }

        if (settings.Silos < 1 || settings.Silo < 1 || settings.Silo > 100)
        {
            throw new ArgumentException("--silos must be at least 1 and --silo between 1 and 100.");
        }

        if (settings.Silo is not null && settings.Client)
        {
            throw new ArgumentException("--silo and --client are two modes: run them as separate processes.");
        }

        return settings;
    }

    public int SiloPortOf(int silo) => SiloPort + silo - 1;

    public int GatewayPortOf(int silo) => GatewayPort + silo - 1;

    /// <summary>The ring's UDP port for silo <paramref name="silo"/>: null lets the ring host take silo port + 1000.</summary>
    public int? RingPortOf(int silo) => RingPort switch
    {
        null => null,
        0 => 0,
        int port => port + silo - 1,
    };

    /// <summary>Ring "groups"' UDP port for silo <paramref name="silo"/>: null lets the ring host take silo port + 1100 (its second ring).</summary>
    public int? GroupRingPortOf(int silo) => (GroupRingPort ?? (RingPort == 0 ? 0 : null)) switch
    {
        null => null,
        0 => 0,
        int port => port + silo - 1,
    };

    public IPEndPoint PrimaryEndPoint => Primary ?? new IPEndPoint(Address, SiloPortOf(1));

    public IReadOnlyList<IPEndPoint> GatewayEndPoints =>
        Gateways ?? [.. Enumerable.Range(1, Silos).Select(n => new IPEndPoint(Address, GatewayPortOf(n)))];

    private static string Value(string[] args, int i, string flag) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{flag} needs a value.");

    private static int Int(string[] args, int i, string flag) =>
        int.TryParse(Value(args, i, flag), NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new ArgumentException($"{flag} needs a number, not '{args[i]}'.");
}
