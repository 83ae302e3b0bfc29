namespace SpreadNet.Ring.Groups;

/// <summary>
/// Limits of one session's receive queue. A session that falls behind gets a
/// <see cref="RingSession.Backlogged"/> warning at <see cref="WarningThreshold"/>; at either limit,
/// unreliable messages are dropped (counted), and the first other message that does not fit ends
/// the session: the other members see it leave with reason Disconnect, and its reader, after the
/// queued events, fails with a <see cref="SessionOverflowException"/> saying which limit was hit.
/// Nothing is dropped silently, and the ring never waits for a slow reader.
/// </summary>
public sealed class RingSessionOptions
{
    /// <summary>Most events queued for the reader. Default 100,000.</summary>
    public int MaxQueuedMessages { get; set; } = 100_000;

    /// <summary>Most payload bytes queued for the reader. Default 256 MiB.</summary>
    public long MaxQueuedBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Fraction of either limit at which <see cref="RingSession.Backlogged"/> is raised. Default 0.5.</summary>
    public double WarningThreshold { get; set; } = 0.5;

    /// <summary>
    /// Queue depth above which new payloads are copied instead of pinning the shared receive buffer
    /// they arrived in (a lagging reader would otherwise hold whole datagrams for small messages).
    /// Default 64.
    /// </summary>
    public int ZeroCopyQueueDepth { get; set; } = 64;

    /// <summary>Throws when a limit is out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A limit is not positive, or the threshold is not in (0, 1].</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueuedMessages);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxQueuedBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(ZeroCopyQueueDepth);
        if (!(WarningThreshold > 0 && WarningThreshold <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(WarningThreshold), WarningThreshold, "WarningThreshold must be in (0, 1], for example 0.5 to be warned at half of the limits.");
        }
    }
}

/// <summary>Ends a session's reader when the session fell behind by more than its limits.</summary>
public sealed class SessionOverflowException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SessionOverflowException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public SessionOverflowException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public SessionOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A session's receive queue passed the warning threshold of its limits.</summary>
/// <param name="QueuedMessages">Events waiting for the reader.</param>
/// <param name="QueuedBytes">Payload bytes waiting.</param>
/// <param name="MaxQueuedMessages">The message limit.</param>
/// <param name="MaxQueuedBytes">The byte limit.</param>
public readonly record struct SessionBacklog(int QueuedMessages, long QueuedBytes, int MaxQueuedMessages, long MaxQueuedBytes);
