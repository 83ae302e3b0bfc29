using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>The engine's view of the ring settings, with times in microseconds.</summary>
public sealed record TotemSettings
{
    /// <summary>See <see cref="RingOptions.MaxDatagramSize"/>.</summary>
    public int MaxDatagramSize { get; init; } = 65_000;

    /// <summary>See <see cref="RingOptions.MaxMessageSize"/>.</summary>
    public int MaxMessageSize { get; init; } = 1 << 20;

    /// <summary>See <see cref="RingOptions.WindowSize"/>.</summary>
    public int WindowSize { get; init; } = 64;

    /// <summary>See <see cref="RingOptions.MaxPacketsPerVisit"/>.</summary>
    public int MaxPacketsPerVisit { get; init; } = 16;

    /// <summary>See <see cref="RingOptions.MaxRetransmitRequests"/>.</summary>
    public int MaxRetransmitRequests { get; init; } = 128;

    /// <summary>See <see cref="RingOptions.ReceiveWindow"/>.</summary>
    public int ReceiveWindow { get; init; } = 4096;

    /// <summary>See <see cref="RingOptions.TokenLossTimeout"/>.</summary>
    public long TokenLossMicros { get; init; } = 1_000_000;

    /// <summary>See <see cref="RingOptions.TokenRetransmitTimeout"/>.</summary>
    public long TokenRetransmitMicros { get; init; } = 100_000;

    /// <summary>See <see cref="RingOptions.TokenHoldTimeout"/>.</summary>
    public long TokenHoldMicros { get; init; } = 200_000;

    /// <summary>See <see cref="RingOptions.JoinTimeout"/>.</summary>
    public long JoinMicros { get; init; } = 50_000;

    /// <summary>See <see cref="RingOptions.ConsensusTimeout"/>.</summary>
    public long ConsensusMicros { get; init; } = 1_200_000;

    /// <summary>See <see cref="RingOptions.MergeDetectInterval"/>.</summary>
    public long MergeDetectMicros { get; init; } = 1_000_000;

    /// <summary>See <see cref="RingOptions.FailToReceiveRotations"/>.</summary>
    public int FailToReceiveRotations { get; init; } = 1000;

    /// <summary>How long a node suspected of a one-way link is kept out before it is trusted again.</summary>
    public long OneWaySuspicionMicros { get; init; } = 30_000_000;

    /// <summary>Fingerprint of the cluster key (0: none); set by the layer that authenticates packets.</summary>
    public ulong KeyFingerprint { get; init; }

    /// <summary>The settings every node of a ring must share, as sent in joins.</summary>
    public SettingsBlock ToBlock() => new(
        MaxDatagramSize, MaxMessageSize, WindowSize, ReceiveWindow, TokenLossMicros, TokenRetransmitMicros, TokenHoldMicros, JoinMicros, ConsensusMicros, KeyFingerprint);

    /// <summary>Takes the settings from validated options.</summary>
    public static TotemSettings FromOptions(RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TotemSettings
        {
            MaxDatagramSize = options.MaxDatagramSize,
            MaxMessageSize = options.WireMessageSize,
            WindowSize = options.WindowSize,
            MaxPacketsPerVisit = options.MaxPacketsPerVisit,
            MaxRetransmitRequests = options.MaxRetransmitRequests,
            ReceiveWindow = options.ReceiveWindow,
            TokenLossMicros = ToMicros(options.TokenLossTimeout),
            TokenRetransmitMicros = ToMicros(options.TokenRetransmitTimeout),
            TokenHoldMicros = ToMicros(options.TokenHoldTimeout),
            JoinMicros = ToMicros(options.JoinTimeout),
            ConsensusMicros = ToMicros(options.ConsensusTimeout),
            MergeDetectMicros = ToMicros(options.MergeDetectInterval),
            FailToReceiveRotations = options.FailToReceiveRotations,
        };
    }

    private static long ToMicros(TimeSpan time) => time.Ticks / TimeSpan.TicksPerMicrosecond;
}
