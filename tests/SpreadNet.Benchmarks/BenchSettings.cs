using System.Globalization;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

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

          SpreadNet.Benchmarks [all|ring|udp|failover|sidebyside|streams|groups] [flags]
            all (default)     ring at 100 and 1000 B, then udp at 100, 1000 and 65000 B
            ring              N ring nodes in this process, one session per node in one group, each
                              multicasting as fast as flow control and the readers allow (throughput),
                              then a light fixed load (latency at the sender); --raw: the node's raw
                              API (TrySubmit and a delivery handler) instead of sessions
            udp               one thread blasting datagrams at a receiver thread on 127.0.0.1
            failover          crash, and graceful leave, of one member: time until every survivor has
                              the new regular configuration; lan and vital presets on 3 and 5 nodes
            sidebyside        a vital-preset ring's latency (one node sends small messages at --vital-rate,
                              submit to delivery at the others) alone, then beside a lan-preset "bulk" ring
                              saturated with --bulk-size messages; --seconds per phase, --nodes per ring
            streams           Orleans streams, 3 silos in this process, one stream, one subscriber grain per
                              silo: SpreadNet streams, MemoryStreams and BroadcastChannel (fire-and-forget off),
                              each at its defaults: latency at --rate events/s (default 200 here) from one
                              producer per silo, throughput with --producers grains per silo going flat out
                              (one event in flight each), then idle CPU; --warmup + --seconds per phase
            groups            group grains, 3 silos in this process, one group, --members grains per silo
                              (and a client's object with --client); per --service (default agreed,safe):
                              latency at --rate msg/s (default 200) from one sender per silo, MulticastAsync
                              to each member's OnGroupMessageAsync, then msg/s to the slowest member with
                              --senders loops per silo flat out as members (each awaits its MulticastAsync;
                              all hold off past --in-flight, default 2,000, not yet delivered everywhere);
                              then --repeat (default 20) newcomers join: JoinAsync to the view at every member

          --size S[,S...]     message / datagram sizes in bytes (ring: at least 16)
          --seconds N         measured seconds per scenario (default 10)
          --warmup N          seconds discarded before measuring (default 3)
          --json PATH         write the results as a JSON array
          --nodes N           ring nodes (default 3)
          --rate N            latency phase: messages/s in total over all nodes (default 1000; 0 skips it)
          --latency-seconds N latency phase length after a 0.5 s warm-up (default 3)
          --submit MODE       spin | yield | async: how a sender waits on a full queue (default spin)
          --stamp-every N     throughput phase: one message in N carries a timestamp (default 64); reading
                              the clock costs 20-80 ns in this VM, a cost of the benchmark, not the ring
          --service S[,S...]  unreliable | reliable | fifo | causal | agreed | safe: one result per
                              service type (default agreed)
          --raw               ring: submit and deliver through RingNode's raw API, not sessions
          --in-flight N       ring with sessions: senders hold off while more than N messages are sent
                              and not yet read at every node (default 50000, under the sessions'
                              100,000-event limit: the ring never waits for readers, and a reader
                              that falls behind by more than its limit is evicted)
          --no-prime          ring with sessions: skip holding the readers back at the start until the
                              in-flight limit is queued at every node (which grows queues and pools to
                              their largest before the measured window)
          --trace-alloc       ring: sample allocations (runtime allocation ticks) during the measured
                              window and print the types that were allocated most
          --datagram N        RingOptions.MaxDatagramSize
          --window N          RingOptions.WindowSize (ReceiveWindow grows to at least 4x)
          --per-visit N       RingOptions.MaxPacketsPerVisit
          --send-queue N      RingOptions.SendQueueCapacity (packets)
          --socket-buffer N   RingOptions.SocketBufferSize (bytes)
          --preset P          lan | vital: the timeout preset (failover runs both unless given)
          --repeat N          failover: repetitions of each case (default 5); sidebyside: runs (default 1)
          --bulk-size N       sidebyside: bulk message size in bytes (default 8192)
          --submitters N      sidebyside: concurrent SubmitAsync loops per bulk node (default 2)
          --vital-rate N      sidebyside: vital messages/s (default 200), of --vital-size bytes (default 100)
          --only T[,T...]     streams: spread | memory | broadcast (default all three)
          --producers N       streams: producer grains per silo in the throughput phase (default 4)
          --spread-max-wait MS
                              streams: SpreadStreamOptions.MaxReceiveWait in ms (default: the provider's;
                              0: the receiver does not wait, the pulling agent's 5 ms poll alone)
          --members N         groups: member grains per silo (default 1)
          --client            groups: a client's member object joins too
          --senders N         groups: send loops per silo in the throughput phase (default 4)
          --spread-delivery-batch N
                              streams: SpreadStreamOptions.DeliveryBatchSize (default: the provider's)
          --idle-seconds N    streams: idle CPU measured over N seconds at the end, after a 3 s pause (default 5; 0 skips)
          --key MODE          aesgcm | gmac | hmac: every node gets the same random RingOptions.ClusterKey
                              with that ClusterKeyMode (default: no key)
        """;

    public string Command { get; init; } = "all";

    /// <summary>Streams: the transports to run.</summary>
    public IReadOnlyList<Streams.StreamsKind> StreamKinds { get; init; } = [Streams.StreamsKind.Spread, Streams.StreamsKind.Memory, Streams.StreamsKind.Broadcast];

    public int StreamProducers { get; init; } = 4;

    public double IdleSeconds { get; init; } = 5;

    /// <summary>Streams: SpreadStreamOptions.MaxReceiveWait in milliseconds; null keeps the provider's default.</summary>
    public double? SpreadMaxWaitMs { get; init; }

    /// <summary>Streams: SpreadStreamOptions.DeliveryBatchSize; null keeps the provider's default.</summary>
    public int? SpreadDeliveryBatch { get; init; }

    /// <summary>Whether --rate was given (streams default to 200 events/s otherwise).</summary>
    public bool RateGiven { get; init; }

    public int StreamRate => RateGiven ? Rate : 200;

    public bool RunsStreams => Command == "streams";

    public bool RunsGroups => Command == "groups";

    public int GroupMembersPerSilo { get; init; } = 1;

    public bool GroupClient { get; init; }

    public int GroupSenders { get; init; } = 4;

    /// <summary>Whether --in-flight was given (groups default to 2,000, under the members' 10,000-event queue limit).</summary>
    public bool InFlightGiven { get; init; }

    public int GroupInFlight => InFlightGiven ? InFlight : 2_000;

    /// <summary>Whether --service was given (groups run agreed and safe otherwise).</summary>
    public bool ServicesGiven { get; init; }

    public IReadOnlyList<ServiceType> GroupServices => ServicesGiven ? Services : [ServiceType.Agreed, ServiceType.Safe];

    public bool Help { get; init; }

    public IReadOnlyList<int>? Sizes { get; init; }

    public int Nodes { get; init; } = 3;

    public double Seconds { get; init; } = 10;

    /// <summary>
    /// Seconds discarded before measuring. Three, not one: with tiered compilation on two busy cores
    /// the hot paths reach optimised code only after a few seconds, and the pools grow to the load's
    /// working set meanwhile (which would count as allocation per message).
    /// </summary>
    public double Warmup { get; init; } = 3;

    public string? JsonPath { get; init; }

    public int Rate { get; init; } = 1000;

    public double LatencySeconds { get; init; } = 3;

    public SubmitMode Submit { get; init; } = SubmitMode.Spin;

    public int StampEvery { get; init; } = 64;

    public IReadOnlyList<ServiceType> Services { get; init; } = [ServiceType.Agreed];

    /// <summary>Whether the ring scenario drives RingNode's raw API instead of sessions.</summary>
    public bool Raw { get; init; }

    public int InFlight { get; init; } = 50_000;

    public bool TraceAllocations { get; init; }

    public bool Prime { get; init; } = true;

    /// <summary>Whether the nodes authenticate datagrams with a cluster key (reported with every result).</summary>
    public bool Keyed => KeyMode is not null;

    public int? Datagram { get; init; }

    public int? Window { get; init; }

    public int? PerVisit { get; init; }

    public int? SendQueue { get; init; }

    public int? SocketBuffer { get; init; }

    public RingPreset? Preset { get; init; }

    /// <summary>Repetitions; null: the command's default (failover 5, sidebyside 1).</summary>
    public int? Repeat { get; init; }

    public int BulkSize { get; init; } = 8 * 1024;

    public int Submitters { get; init; } = 2;

    public int VitalRate { get; init; } = 200;

    public int VitalSize { get; init; } = 100;

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


    /// <summary>Whether --nodes was given (failover otherwise runs 3 and 5).</summary>
    public bool NodesGiven { get; init; }

    public bool RunsFailover => Command == "failover";

    public bool RunsSideBySide => Command == "sidebyside";

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
            settings = settings with { Command = args[0] is "all" or "ring" or "udp" or "failover" or "sidebyside" or "streams" or "groups" ? args[0] : throw new ArgumentException($"Unknown command '{args[0]}'.") };
            i = 1;
        }

        for (; i < args.Length; i++)
        {
            string flag = args[i];
            settings = flag switch
            {
                "-h" or "--help" => settings with { Help = true },
                "--size" => settings with { Sizes = [.. List(Value(args, ++i)).Select(s => Int(flag, s))] },
                "--nodes" => settings with { Nodes = Int(flag, Value(args, ++i)), NodesGiven = true },
                "--preset" => settings with { Preset = Enum.Parse<RingPreset>(Value(args, ++i), ignoreCase: true) },
                "--repeat" => settings with { Repeat = Int(flag, Value(args, ++i)) },
                "--bulk-size" => settings with { BulkSize = Int(flag, Value(args, ++i)) },
                "--submitters" => settings with { Submitters = Int(flag, Value(args, ++i)) },
                "--vital-rate" => settings with { VitalRate = Int(flag, Value(args, ++i)) },
                "--vital-size" => settings with { VitalSize = Int(flag, Value(args, ++i)) },
                "--seconds" => settings with { Seconds = Double(flag, Value(args, ++i)) },
                "--warmup" => settings with { Warmup = Double(flag, Value(args, ++i)) },
                "--json" => settings with { JsonPath = Value(args, ++i) },
                "--rate" => settings with { Rate = Int(flag, Value(args, ++i)), RateGiven = true },
                "--only" => settings with { StreamKinds = [.. List(Value(args, ++i)).Select(ParseStreamsKind).Distinct()] },
                "--producers" => settings with { StreamProducers = Int(flag, Value(args, ++i)) },
                "--spread-max-wait" => settings with { SpreadMaxWaitMs = Double(flag, Value(args, ++i)) },
                "--members" => settings with { GroupMembersPerSilo = Int(flag, Value(args, ++i)) },
                "--client" => settings with { GroupClient = true },
                "--senders" => settings with { GroupSenders = Int(flag, Value(args, ++i)) },
                "--spread-delivery-batch" => settings with { SpreadDeliveryBatch = Int(flag, Value(args, ++i)) },
                "--idle-seconds" => settings with { IdleSeconds = Double(flag, Value(args, ++i)) },
                "--latency-seconds" => settings with { LatencySeconds = Double(flag, Value(args, ++i)) },
                "--submit" => settings with { Submit = Enum.Parse<SubmitMode>(Value(args, ++i), ignoreCase: true) },
                "--stamp-every" => settings with { StampEvery = Int(flag, Value(args, ++i)) },
                "--service" => settings with { Services = [.. List(Value(args, ++i)).Select(ParseService).Distinct()], ServicesGiven = true },
                "--raw" => settings with { Raw = true },
                "--in-flight" => settings with { InFlight = Int(flag, Value(args, ++i)), InFlightGiven = true },
                "--trace-alloc" => settings with { TraceAllocations = true },
                "--no-prime" => settings with { Prime = false },
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
        if (Repeat < 1 || ((RunsFailover || RunsSideBySide) && Nodes < 2))
        {
            throw new ArgumentException("--repeat must be positive, and failover and sidebyside need --nodes 2 or more.");
        }

        if (BulkSize < 1 || Submitters < 1 || VitalRate < 1 || VitalSize < 9)
        {
            throw new ArgumentException("--bulk-size, --submitters and --vital-rate must be positive; --vital-size at least 9 (timestamp and phase).");
        }

        if (Nodes < 1 || Seconds <= 0 || StampEvery < 1 || InFlight < 1 || Warmup < 0 || Rate < 0 || LatencySeconds < 0)
        {
            throw new ArgumentException("--nodes, --seconds, --stamp-every and --in-flight must be positive; --warmup, --rate and --latency-seconds not negative.");
        }

        int sessionLimit = new RingSessionOptions().MaxQueuedMessages;
        if (InFlight >= sessionLimit)
        {
            throw new ArgumentException($"--in-flight {InFlight} would let a reader fall {sessionLimit:N0} events behind and be evicted: use less than {sessionLimit:N0}.");
        }

        if (RunsStreams && (StreamKinds.Count == 0 || StreamProducers < 1 || IdleSeconds < 0 || StreamRate < 1 || SpreadMaxWaitMs < 0 || SpreadDeliveryBatch < 1))
        {
            throw new ArgumentException("streams: --only needs one or more of spread, memory, broadcast; --producers and --rate must be positive, --idle-seconds and --spread-max-wait not negative, --spread-delivery-batch positive.");
        }

        int groupLimit = new SpreadNet.Grains.SpreadGroupsOptions().MaxQueuedEvents;
        if (RunsGroups && (GroupMembersPerSilo < 1 || GroupSenders < 1 || StreamRate < 1 || GroupInFlight >= groupLimit))
        {
            throw new ArgumentException($"groups: --members, --senders and --rate must be positive, and --in-flight under the members' {groupLimit:N0}-event queue limit (a member that falls that far behind is removed).");
        }

        if (Services.Count == 0)
        {
            throw new ArgumentException("--service needs one or more service types, for example agreed,safe.");
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

    private static Streams.StreamsKind ParseStreamsKind(string text) =>
        Enum.TryParse(text, ignoreCase: true, out Streams.StreamsKind kind) && Enum.IsDefined(kind) && !int.TryParse(text, CultureInfo.InvariantCulture, out _)
            ? kind
            : throw new ArgumentException($"--only: '{text}' is not one of spread, memory, broadcast.");

    private static string[] List(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ServiceType ParseService(string text) =>
        Enum.TryParse(text, ignoreCase: true, out ServiceType service) && Enum.IsDefined(service) && !int.TryParse(text, CultureInfo.InvariantCulture, out _)
            ? service
            : throw new ArgumentException($"--service: '{text}' is not one of unreliable, reliable, fifo, causal, agreed, safe.");

    private static string Value(string[] args, int i) =>
        i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value.");

    private static int Int(string flag, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) ? value : throw new ArgumentException($"{flag}: '{text}' is not a whole number.");

    private static double Double(string flag, string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value : throw new ArgumentException($"{flag}: '{text}' is not a number.");
}
