using System.Net;
using SpreadNet.Ring;

namespace SpreadNet.RingSilo;

/// <summary>
/// Settings of one Spread ring hosted by a silo (<c>siloBuilder.AddSpreadRing(name, ...)</c>). The
/// ring's members are the silos of the cluster that host a ring of the same name: no seed or server
/// list. Settings compared on the wire (datagram and message sizes, windows, timeouts) must be the
/// same on every silo; a silo whose ring settings differ from an active silo's does not start.
/// Defaults are those of <see cref="RingOptions"/> with the <see cref="RingPreset.Lan"/> preset.
/// </summary>
public sealed class SpreadRingOptions
{
    /// <summary>Added to the silo port to make the default ring port.</summary>
    public const int DefaultPortOffset = 1000;

    /// <summary>Between the default ports of two rings of one silo.</summary>
    public const int DefaultPortStride = 100;

    /// <summary>
    /// The UDP port the ring listens on. Null (the default): the silo port + 1,000 + 100 x the ring's
    /// index on the silo (0 for the first <c>AddSpreadRing</c> call, 1 for the second, ...), so that a
    /// silo on port 11111 has its first ring on 12111 and its second on 12211, and up to 100 silos with
    /// consecutive ports can share a host. 0: a free port chosen at start. Any port works, since
    /// silos advertise their ring endpoints through cluster membership; an explicit port is easiest
    /// to open in a firewall.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// The IPv4 address the ring listens on and advertises. Null (the default): the silo's advertised
    /// address (<c>EndpointOptions.AdvertisedIPAddress</c>), so ring traffic takes the silo's network.
    /// </summary>
    public IPAddress? ListenAddress { get; set; }

    /// <summary>The timeout preset, <see cref="RingPreset.Lan"/> by default; the timeout settings below override single values of it.</summary>
    public RingPreset Preset { get; set; } = RingPreset.Lan;

    /// <summary>See <see cref="RingOptions.MaxDatagramSize"/>. Default 65,000.</summary>
    public int MaxDatagramSize { get; set; } = 65_000;

    /// <summary>See <see cref="RingOptions.MaxMessageSize"/>. Default 1 MiB.</summary>
    public int MaxMessageSize { get; set; } = 1 << 20;

    /// <summary>See <see cref="RingOptions.WindowSize"/>. Default 64.</summary>
    public int WindowSize { get; set; } = 64;

    /// <summary>See <see cref="RingOptions.MaxPacketsPerVisit"/>. Default 16.</summary>
    public int MaxPacketsPerVisit { get; set; } = 16;

    /// <summary>See <see cref="RingOptions.MaxRetransmitRequests"/>. Default 128.</summary>
    public int MaxRetransmitRequests { get; set; } = 128;

    /// <summary>See <see cref="RingOptions.ReceiveWindow"/>. Default 4,096.</summary>
    public int ReceiveWindow { get; set; } = 4096;

    /// <summary>See <see cref="RingOptions.SendQueueCapacity"/>. Default 256.</summary>
    public int SendQueueCapacity { get; set; } = 256;

    /// <summary>See <see cref="RingOptions.FailToReceiveRotations"/>. Default 1,000.</summary>
    public int FailToReceiveRotations { get; set; } = 1000;

    /// <summary>See <see cref="RingOptions.SocketBufferSize"/>. Default 4 MiB.</summary>
    public int SocketBufferSize { get; set; } = 4 << 20;

    /// <summary>See <see cref="RingOptions.TokenLossTimeout"/>. Null (the default): the preset's.</summary>
    public TimeSpan? TokenLossTimeout { get; set; }

    /// <summary>See <see cref="RingOptions.TokenRetransmitTimeout"/>. Null (the default): the preset's.</summary>
    public TimeSpan? TokenRetransmitTimeout { get; set; }

    /// <summary>See <see cref="RingOptions.TokenHoldTimeout"/>. Null (the default): the preset's.</summary>
    public TimeSpan? TokenHoldTimeout { get; set; }

    /// <summary>See <see cref="RingOptions.JoinTimeout"/>. Null (the default): the preset's.</summary>
    public TimeSpan? JoinTimeout { get; set; }

    /// <summary>See <see cref="RingOptions.ConsensusTimeout"/>. Null (the default): the preset's.</summary>
    public TimeSpan? ConsensusTimeout { get; set; }

    /// <summary>See <see cref="RingOptions.MergeDetectInterval"/>. Null (the default): the preset's.</summary>
    public TimeSpan? MergeDetectInterval { get; set; }

    /// <summary>See <see cref="RingOptions.StateDirectory"/>. Default null.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>
    /// How long a starting silo waits for the active silos' ring advertisements (fetched through
    /// Orleans silo metadata) to compare their settings with its own before it starts its ring
    /// anyway. Default 10 s.
    /// </summary>
    public TimeSpan PeerAdvertisementTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The ring node's options for ring <paramref name="name"/> listening on <paramref name="listen"/>.</summary>
    internal RingOptions ToRingOptions(string name, IPEndPoint listen)
    {
        var options = new RingOptions
        {
            Name = name,
            ListenEndPoint = listen,
            StateDirectory = StateDirectory,
            MaxDatagramSize = MaxDatagramSize,
            MaxMessageSize = MaxMessageSize,
            WindowSize = WindowSize,
            MaxPacketsPerVisit = MaxPacketsPerVisit,
            MaxRetransmitRequests = MaxRetransmitRequests,
            ReceiveWindow = ReceiveWindow,
            SendQueueCapacity = SendQueueCapacity,
            FailToReceiveRotations = FailToReceiveRotations,
            SocketBufferSize = SocketBufferSize,
        };
        options.ApplyPreset(Preset);
        options.TokenLossTimeout = TokenLossTimeout ?? options.TokenLossTimeout;
        options.TokenRetransmitTimeout = TokenRetransmitTimeout ?? options.TokenRetransmitTimeout;
        options.TokenHoldTimeout = TokenHoldTimeout ?? options.TokenHoldTimeout;
        options.JoinTimeout = JoinTimeout ?? options.JoinTimeout;
        options.ConsensusTimeout = ConsensusTimeout ?? options.ConsensusTimeout;
        options.MergeDetectInterval = MergeDetectInterval ?? options.MergeDetectInterval;
        return options;
    }
}
