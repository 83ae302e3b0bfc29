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

    /// <summary>Takes the settings from validated options.</summary>
    public static TotemSettings FromOptions(RingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new TotemSettings
        {
            MaxDatagramSize = options.MaxDatagramSize,
            MaxMessageSize = options.MaxMessageSize,
            WindowSize = options.WindowSize,
            MaxPacketsPerVisit = options.MaxPacketsPerVisit,
            MaxRetransmitRequests = options.MaxRetransmitRequests,
            ReceiveWindow = options.ReceiveWindow,
            TokenLossMicros = ToMicros(options.TokenLossTimeout),
            TokenRetransmitMicros = ToMicros(options.TokenRetransmitTimeout),
            TokenHoldMicros = ToMicros(options.TokenHoldTimeout),
        };
    }

    private static long ToMicros(TimeSpan time) => time.Ticks / TimeSpan.TicksPerMicrosecond;
}
