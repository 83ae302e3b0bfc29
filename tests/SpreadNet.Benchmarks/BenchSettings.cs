using System.Globalization;
using SpreadNet.Ring;

namespace SpreadNet.Benchmarks;

/// <summary>How a sender waits when its node's send queue is full.</summary>
internal enum SubmitMode
{
    /// <summary>TrySubmit, then SpinWait (spins, yields, then sleeps 1 ms) until it is accepted.</summary>
    Spin,

    /// <summary>TrySubmit, then Thread.Yield until it is accepted.</summary>
    Yield,

    /// <summary>await SubmitAsync, which waits for the engine to make room.</summary>
    Async,
}

/// <summary>The benchmark's command line.</summary>
internal sealed record BenchSettings
{
    public const string Usage = """
        SpreadNet benchmarks: ring throughput and latency, and the loopback UDP ceiling.

          SpreadNet.Benchmarks [all|ring|udp|failover] [flags]
            all (default)     ring at 100 and 1000 B, then udp at 100, 1000 and 65000 B
            ring              N ring nodes in this process, each sending as fast as flow control allows
                              (throughput), then a light fixed load (latency at the sender)
            udp               one thread blasting datagrams at a receiver thread on 127.0.0.1
            failover          crash, and graceful leave, of one member: time until every survivor has
                              the new regular configuration; lan and vital presets on 3 and 5 nodes

          --size S[,S...]     message / datagram sizes in bytes (ring: at least 16)
          --seconds N         measured seconds per scenario (default 10)
          --warmup N          seconds discarded before measuring (default 1)
          --json PATH         write the results as a JSON array
          --nodes N           ring nodes (default 3)
          --rate N            latency phase: messages/s in total over all nodes (default 1000; 0 skips it)
          --latency-seconds N latency phase length after a 0.5 s warm-up (default 3)
          --submit MODE       spin | yield | async: how a sender waits on a full queue (default spin)
          --stamp-every N     throughput phase: one message in N carries a timestamp (default 64); reading
                              the clock costs 20-80 ns in this VM, a cost of the benchmark, not the ring
          --service S         agreed | safe (default agreed)
          --datagram N        RingOptions.MaxDatagramSize
          --window N          RingOptions.WindowSize (ReceiveWindow grows to at least 4x)
          --per-visit N       RingOptions.MaxPacketsPerVisit
          --send-queue N      RingOptions.SendQueueCapacity (packets)
          --socket-buffer N   RingOptions.SocketBufferSize (bytes)
          --preset P          lan | vital: the timeout preset (failover runs both unless given)
          --key MODE          aesgcm | gmac | hmac: every node gets the same random RingOptions.ClusterKey
                              with that ClusterKeyMode (default: no key)
          --repeat N          failover: repetitions of each case (default 5)
        """;

    public string Command { get; init; } = "all";

    public bool Help { get; init; }

    public IReadOnlyList<int>? Sizes { get; init; }

    public int Nodes { get; init; } = 3;

    public double Seconds { get; init; } = 10;

    public double Warmup { get; init; } = 1;

    public string? JsonPath { get; init; }

    public int Rate { get; init; } = 1000;

    public double LatencySeconds { get; init; } = 3;

    public SubmitMode Submit { get; init; } = SubmitMode.Spin;

    public int StampEvery { get; init; } = 64;

    public ServiceType Service { get; init; } = ServiceType.Agreed;

    public int? Datagram { get; init; }

    public int? Window { get; init; }

    public int? PerVisit { get; init; }

    public int? SendQueue { get; init; }

    public int? SocketBuffer { get; init; }

    public RingPreset? Preset { get; init; }

    /// <summary>The cluster key mode, or null to run without a key.</summary>
    public ClusterKeyMode? KeyMode { get; init; }

    /// <summary>One random key for every node of the run.</summary>
    public byte[] ClusterKey { get; } = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);

    /// <summary>The key mode as the JSON and the logs name it.</summary>
    public string? KeyModeName => KeyMode switch
    {
        ClusterKeyMode.AesGcm => "aesgcm",
        ClusterKeyMode.HmacSha256 => "hmac",
        ClusterKeyMode.AesGmac => "gmac",
        _ => null,
    };

    public int Repeat { get; init; } = 5;

    /// <summary>Whether --nodes was given (failover otherwise runs 3 and 5).</summary>
    public bool NodesGiven { get; init; }

    public bool RunsFailover => Command == "failover";

    public IReadOnlyList<int> RingSizes => Sizes ?? [100, 1000];

    public IReadOnlyList<int> UdpSizes => Sizes ?? (Command == "udp" ? [100] : [100, 1000, 65000]);

    public bool RunsRing => Command is "all" or "ring";

    public bool RunsUdp => Command is "all" or "udp";

    public static BenchSettings Parse(string[] args)
    {
        var settings = new BenchSettings();
        int i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            settings = settings with { Command = args[0] is "all" or "ring" or "udp" or "failover" ? args[0] : throw new ArgumentException($"Unknown command '{args[0]}'.") };
            i = 1;
        }

        for (; i < args.Length; i++)
        {
            string flag = args[i];
            settings = flag switch
            {
                "-h" or "--help" => settings with { Help = true },
                "--size" => settings with { Sizes = [.. Value(args, ++i).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(s => Int(flag, s))] },
                "--nodes" => settings with { Nodes = Int(flag, Value(args, ++i)), NodesGiven = true },
                "--preset" => settings with { Preset = Enum.Parse<RingPreset>(Value(args, ++i), ignoreCase: true) },
                "--repeat" => settings with { Repeat = Int(flag, Value(args, ++i)) },
                "--seconds" => settings with { Seconds = Double(flag, Value(args, ++i)) },
                "--warmup" => settings with { Warmup = Double(flag, Value(args, ++i)) },
                "--json" => settings with { JsonPath = Value(args, ++i) },
                "--rate" => settings with { Rate = Int(flag, Value(args, ++i)) },
                "--latency-seconds" => settings with { LatencySeconds = Double(flag, Value(args, ++i)) },
                "--submit" => settings with { Submit = Enum.Parse<SubmitMode>(Value(args, ++i), ignoreCase: true) },
                "--stamp-every" => settings with { StampEvery = Int(flag, Value(args, ++i)) },
                "--service" => settings with { Service = Value(args, ++i).ToUpperInvariant() switch { "AGREED" => ServiceType.Agreed, "SAFE" => ServiceType.Safe, var s => throw new ArgumentException($"--service must be agreed or safe, not '{s}'.") } },
                "--datagram" => settings with { Datagram = Int(flag, Value(args, ++i)) },
                "--window" => settings with { Window = Int(flag, Value(args, ++i)) },
                "--per-visit" => settings with { PerVisit = Int(flag, Value(args, ++i)) },
                "--send-queue" => settings with { SendQueue = Int(flag, Value(args, ++i)) },
                "--socket-buffer" => settings with { SocketBuffer = Int(flag, Value(args, ++i)) },
                "--key" => settings with { KeyMode = Value(args, ++i).ToUpperInvariant() switch { "AESGCM" or "AES-GCM" => ClusterKeyMode.AesGcm, "GMAC" or "AESGMAC" => ClusterKeyMode.AesGmac, "HMAC" or "HMACSHA256" => ClusterKeyMode.HmacSha256, var s => throw new ArgumentException($"--key must be aesgcm, gmac or hmac, not '{s}'.") } },
                _ => throw new ArgumentException($"Unknown argument '{flag}'."),
            };
        }

        settings.Check();
        return settings;
    }

    /// <summary>Ring options for one member, with the tuning flags applied.</summary>
    public RingOptions RingOptionsFor(System.Net.IPEndPoint self, IEnumerable<System.Net.IPEndPoint> members)
    {
        var options = new RingOptions { ListenEndPoint = self };
        if (Preset is RingPreset preset)
        {
            options.ApplyPreset(preset);
        }

        foreach (var member in members)
        {
            options.Seeds.Add(member);
        }

        options.MaxDatagramSize = Datagram ?? options.MaxDatagramSize;
        options.WindowSize = Window ?? options.WindowSize;
        options.MaxPacketsPerVisit = PerVisit ?? Math.Min(options.MaxPacketsPerVisit, options.WindowSize);
        options.SendQueueCapacity = SendQueue ?? options.SendQueueCapacity;
        options.SocketBufferSize = SocketBuffer ?? options.SocketBufferSize;
        if (KeyMode is ClusterKeyMode mode)
        {
            options.ClusterKey = ClusterKey;
            options.ClusterKeyMode = mode;
        }
        while (options.ReceiveWindow < 4 * options.WindowSize)
        {
            options.ReceiveWindow *= 2;
        }

        return options;
    }

    private void Check()
    {
        if (Repeat < 1 || (RunsFailover && Nodes < 2))
        {
            throw new ArgumentException("--repeat must be positive, and failover needs --nodes 2 or more.");
        }

        if (Nodes < 1 || Seconds <= 0 || StampEvery < 1 || Warmup < 0 || Rate < 0 || LatencySeconds < 0)
        {
            throw new ArgumentException("--nodes, --seconds and --stamp-every must be positive; --warmup, --rate and --latency-seconds not negative.");
        }

        if (Sizes is { Count: 0 } || Sizes?.Any(s => s < 1) == true)
        {
            throw new ArgumentException("--size needs one or more positive sizes, for example 100,1000.");
        }

        if (RunsRing && RingSizes.Any(s => s < Payload.HeaderSize))
        {
            throw new ArgumentException($"Ring messages carry a {Payload.HeaderSize}-byte header (timestamp, sender): use --size {Payload.HeaderSize} or more.");
        }

        if (RunsUdp && UdpSizes.Any(s => s > 65_507))
        {
            throw new ArgumentException("A UDP datagram carries at most 65,507 bytes.");
        }
    }

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Int(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ArgumentException($"{flag}: '{text}' is not a whole number.");

    private static double Double(string flag, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw new ArgumentException($"{flag}: '{text}' is not a number.");
}
