using System.Net;

namespace SpreadNet.Ring;

/// <summary>
/// Settings of one ring node. Timeouts and flow-control settings must be the same on every node
/// of a ring (a node whose settings differ is refused and named). Defaults are the LAN preset;
/// <see cref="ApplyPreset"/> switches to another. <see cref="Validate"/> checks every rule at start-up.
/// </summary>
public sealed class RingOptions
{
    /// <summary>The <see cref="Name"/> of a ring that was not given one.</summary>
    public const string DefaultName = "default";

    private const int MaxNameLength = 64;

    /// <summary>
    /// The ring's name as it appears in metrics (tag <c>spreadnet.ring.name</c>), logs and the node's
    /// thread name, to tell rings of one process apart; letters, digits, '.', '-' and '_', at most 64.
    /// Local to this node: it is not sent on the wire nor compared between members. Default "default".
    /// </summary>
    public string Name { get; set; } = DefaultName;

    /// <summary>The address and UDP port this node listens on. Required.</summary>
    public IPEndPoint? ListenEndPoint { get; set; }

    /// <summary>
    /// Nodes to contact at start: members of the ring to join, or the other nodes of a ring forming
    /// for the first time. May include this node; need not list every member (the membership
    /// protocol finds the rest). Empty: this node forms a ring of its own that others can join.
    /// </summary>
    public IList<IPEndPoint> Seeds { get; } = new List<IPEndPoint>();

    /// <summary>
    /// Optional folder where the node keeps the highest ring sequence it used, so that ring ids are
    /// never reused across restarts. Without it the sequence starts from the wall clock (in
    /// milliseconds), which is monotonic across restarts unless the clock is set back.
    /// </summary>
    public string? StateDirectory { get; set; }

    /// <summary>Largest datagram this node sends or accepts, in bytes. Default 65,000 (loopback and LANs that pass IP fragments); use 1,400 where they do not.</summary>
    public int MaxDatagramSize { get; set; } = 65_000;

    /// <summary>Largest application message, in bytes; larger messages are fragmented over several datagrams. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1 << 20;

    /// <summary>Room for the group layer's header (sender and a group name or a few) on top of <see cref="MaxMessageSize"/>.</summary>
    internal const int GroupHeaderAllowance = 512;

    /// <summary>Largest message on the wire: an application message with its group-layer header.</summary>
    internal int WireMessageSize => MaxMessageSize + GroupHeaderAllowance;

    /// <summary>Most data packets (new and retransmitted) the whole ring sends in one token rotation. Default 64.</summary>
    public int WindowSize { get; set; } = 64;

    /// <summary>Most data packets one node sends in one token visit. Default 16.</summary>
    public int MaxPacketsPerVisit { get; set; } = 16;

    /// <summary>Most retransmission requests the token carries. Default 128.</summary>
    public int MaxRetransmitRequests { get; set; } = 128;

    /// <summary>Data packets a node keeps, by sequence number, ahead of what it has delivered; a power of two. Default 4,096.</summary>
    public int ReceiveWindow { get; set; } = 4096;

    /// <summary>Packed data packets waiting for the token before submitters are held back. Default 256.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>Time without the token after which it is declared lost. Default 1 s.</summary>
    public TimeSpan TokenLossTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Time after forwarding the token without seeing progress before sending it again. Default 100 ms.</summary>
    public TimeSpan TokenRetransmitTimeout { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest time the representative holds the token while the ring is idle. Default 200 ms.</summary>
    public TimeSpan TokenHoldTimeout { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gather: interval at which join messages are sent again. Default 50 ms.</summary>
    public TimeSpan JoinTimeout { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Gather: time after which nodes that have not agreed are considered failed. Default 1.2 s.</summary>
    public TimeSpan ConsensusTimeout { get; set; } = TimeSpan.FromMilliseconds(1200);

    /// <summary>Interval at which each member announces its ring to the nodes it knows outside it, so that rings that can hear each other merge. Default 1 s.</summary>
    public TimeSpan MergeDetectInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Token rotations (lasting at least TokenLossTimeout in all) a member may keep missing the same message before it is removed from the ring. Default 1,000.</summary>
    public int FailToReceiveRotations { get; set; } = 1000;

    /// <summary>Socket send and receive buffer size requested from the OS, in bytes. Default 4 MiB.</summary>
    public int SocketBufferSize { get; set; } = 4 << 20;

    /// <summary>
    /// Optional secret shared by every node of the cluster, at least 16 random bytes (32 advised, for
    /// example from <c>RandomNumberGenerator.GetBytes(32)</c>, kept in a secret store). With a key,
    /// every datagram is authenticated (and, with <see cref="ClusterKeyMode.AesGcm"/>, its body
    /// encrypted) and replays are rejected; a node with another key, or none, is reported
    /// (<see cref="Totem.RingEventKind.AuthenticationFailed"/>) and never joins. Default null: no key.
    /// The node derives its keys at construction; later changes to the array have no effect.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1819:Properties should not return arrays", Justification = "An options POCO: configuration binds byte[] from base64.")]
    public byte[]? ClusterKey { get; set; }

    /// <summary>
    /// How the cluster key protects packets; the same on every node. Default
    /// <see cref="ClusterKeyMode.AesGmac"/> (authenticated, not encrypted: the cheapest mode);
    /// <see cref="ClusterKeyMode.AesGcm"/> also keeps message contents from eavesdroppers.
    /// </summary>
    public ClusterKeyMode ClusterKeyMode { get; set; } = ClusterKeyMode.AesGmac;

    /// <summary>
    /// Sets every timeout to a preset: <see cref="RingPreset.Lan"/> (the defaults: a crash is
    /// detected in about 2 s) or <see cref="RingPreset.Vital"/> (a crash is detected and the ring
    /// reformed within about 200 ms on a quiet LAN or loopback, at the cost of false alarms under
    /// heavy CPU load). Every node of a ring must use the same preset.
    /// </summary>
    public RingOptions ApplyPreset(RingPreset preset)
    {
        (TokenLossTimeout, TokenRetransmitTimeout, TokenHoldTimeout, JoinTimeout, ConsensusTimeout, MergeDetectInterval) = preset switch
        {
            RingPreset.Lan => (TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(1200), TimeSpan.FromSeconds(1)),
            RingPreset.Vital => (TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(120), TimeSpan.FromMilliseconds(200)),
            _ => throw new ArgumentOutOfRangeException(nameof(preset), preset, "Unknown preset."),
        };
        return this;
    }

    /// <summary>
    /// Checks every setting and throws <see cref="RingConfigurationException"/> naming the first
    /// one that is wrong, its value and how to fix it.
    /// </summary>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Name) || Name.Length > MaxNameLength || !Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new RingConfigurationException(nameof(Name), Name is null ? "is null" : $"is '{Name}'", $"use 1 to {MaxNameLength} letters, digits, '.', '-' or '_' (for example \"orders\"), or leave the default \"{DefaultName}\"");
        }

        if (ListenEndPoint is null)
        {
            throw new RingConfigurationException(nameof(ListenEndPoint), "not set", "set it to this node's address and UDP port, for example 127.0.0.1:4803");
        }

        if (ListenEndPoint.Port == 0 || ListenEndPoint.Address.Equals(IPAddress.Any) || ListenEndPoint.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            throw new RingConfigurationException(nameof(ListenEndPoint), $"is {ListenEndPoint}", "use this node's concrete IPv4 address and a fixed UDP port (other nodes reach it there, and its node id is derived from it)");
        }

        foreach (var seed in Seeds)
        {
            if (seed is null || seed.Port == 0 || seed.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || seed.Address.Equals(IPAddress.Any))
            {
                throw new RingConfigurationException(nameof(Seeds), $"contains {seed?.ToString() ?? "null"}", "list the IPv4 address and UDP port of each seed node");
            }
        }

        Require(MaxDatagramSize is >= 1024 and <= 65_507, nameof(MaxDatagramSize), MaxDatagramSize, "use a value from 1,024 to 65,507 (the largest UDP payload)");
        Require(MaxMessageSize is >= 1 and <= 64 << 20, nameof(MaxMessageSize), MaxMessageSize, "use a value from 1 byte to 64 MiB");
        Require(WindowSize is >= 1 and <= 4096, nameof(WindowSize), WindowSize, "use a value from 1 to 4,096 packets");
        Require(MaxPacketsPerVisit >= 1 && MaxPacketsPerVisit <= WindowSize, nameof(MaxPacketsPerVisit), MaxPacketsPerVisit, $"use a value from 1 to WindowSize ({WindowSize})");
        Require(MaxRetransmitRequests is >= 1 and <= 1024, nameof(MaxRetransmitRequests), MaxRetransmitRequests, "use a value from 1 to 1,024");
        Require(
            ReceiveWindow >= 4 * WindowSize && ReceiveWindow <= 1 << 20 && (ReceiveWindow & (ReceiveWindow - 1)) == 0,
            nameof(ReceiveWindow),
            ReceiveWindow,
            $"use a power of two of at least 4 x WindowSize ({4 * WindowSize}) and at most 1,048,576");
        Require(SendQueueCapacity >= 1, nameof(SendQueueCapacity), SendQueueCapacity, "use at least 1 packet");
        ValidateClusterKey();
        int perDatagram = MaxDatagramSize - 128 - (ClusterKey is null ? 0 : Wire.PacketProtector.TrailerSize);
        int fragments = (WireMessageSize + perDatagram - 1) / perDatagram;
        Require(
            fragments <= ReceiveWindow / 4,
            nameof(MaxMessageSize),
            MaxMessageSize,
            $"a message is sent whole in one token visit, and {MaxMessageSize} bytes need {fragments} datagrams of {MaxDatagramSize} bytes, more than a quarter of ReceiveWindow ({ReceiveWindow}): lower MaxMessageSize, or raise MaxDatagramSize or ReceiveWindow");
        Require(SocketBufferSize >= 64 << 10, nameof(SocketBufferSize), SocketBufferSize, "use at least 64 KiB");
        Require(TokenLossTimeout >= TimeSpan.FromMilliseconds(10), nameof(TokenLossTimeout), TokenLossTimeout, "use at least 10 ms");
        Require(TokenRetransmitTimeout >= TimeSpan.FromMilliseconds(1), nameof(TokenRetransmitTimeout), TokenRetransmitTimeout, "use at least 1 ms");
        Require(
            TokenRetransmitTimeout * 2 <= TokenLossTimeout,
            nameof(TokenRetransmitTimeout),
            TokenRetransmitTimeout,
            $"the token must be retransmitted at least twice before it is declared lost: use at most half of TokenLossTimeout ({TokenLossTimeout.TotalMilliseconds} ms)");
        Require(
            TokenHoldTimeout > TimeSpan.Zero && TokenHoldTimeout + TokenRetransmitTimeout < TokenLossTimeout,
            nameof(TokenHoldTimeout),
            TokenHoldTimeout,
            $"a held token must move on before the others declare it lost: use more than 0 and less than TokenLossTimeout - TokenRetransmitTimeout ({(TokenLossTimeout - TokenRetransmitTimeout).TotalMilliseconds} ms)");
        Require(JoinTimeout >= TimeSpan.FromMilliseconds(1), nameof(JoinTimeout), JoinTimeout, "use at least 1 ms");
        Require(
            ConsensusTimeout >= TokenLossTimeout * 1.2,
            nameof(ConsensusTimeout),
            ConsensusTimeout,
            $"a node waiting for a lost commit token returns to Gather only after TokenLossTimeout; the others must not give up on it first: use at least 1.2 x TokenLossTimeout ({(TokenLossTimeout * 1.2).TotalMilliseconds} ms)");
        Require(
            ConsensusTimeout >= JoinTimeout * 2,
            nameof(ConsensusTimeout),
            ConsensusTimeout,
            $"nodes need at least two rounds of join messages to agree: use at least twice JoinTimeout ({(JoinTimeout * 2).TotalMilliseconds} ms)");
        Require(MergeDetectInterval >= TimeSpan.FromMilliseconds(10), nameof(MergeDetectInterval), MergeDetectInterval, "use at least 10 ms");
        Require(FailToReceiveRotations >= 10, nameof(FailToReceiveRotations), FailToReceiveRotations, "use at least 10 rotations, or a node that lost one packet would be removed");
        if (StateDirectory is { Length: 0 })
        {
            throw new RingConfigurationException(nameof(StateDirectory), "is empty", "leave it null, or name a folder this process can write");
        }
    }

    private void ValidateClusterKey()
    {
        if (!Enum.IsDefined(ClusterKeyMode))
        {
            throw new RingConfigurationException(nameof(ClusterKeyMode), $"is {(int)ClusterKeyMode}", "use ClusterKeyMode.AesGcm, AesGmac or HmacSha256, the same on every node");
        }

        if (ClusterKey is not { } key)
        {
            return;
        }

        if (key.Length is < Wire.ClusterKeyDerivation.MinClusterKeySize or > Wire.ClusterKeyDerivation.MaxClusterKeySize)
        {
            throw new RingConfigurationException(nameof(ClusterKey), $"is {key.Length} bytes long", "use 16 to 1,024 random bytes (32 advised, for example RandomNumberGenerator.GetBytes(32)), the same on every node, or null for no key");
        }

        if (key.AsSpan().IndexOfAnyExcept(key[0]) < 0)
        {
            throw new RingConfigurationException(nameof(ClusterKey), $"is {key.Length} copies of the byte {key[0]}", "that is a placeholder, not a secret: use random bytes (for example RandomNumberGenerator.GetBytes(32)), the same on every node");
        }
    }

    private static void Require(bool condition, string setting, object value, string fix)
    {
        if (!condition)
        {
            throw new RingConfigurationException(setting, $"is {value}", fix);
        }
    }
}
