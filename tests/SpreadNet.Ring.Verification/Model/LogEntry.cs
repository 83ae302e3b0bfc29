namespace SpreadNet.Ring.Verification;

/// <summary>Whether a configuration is transitional or regular (extended virtual synchrony).</summary>
public enum ConfigKind
{
    /// <summary>The members of the previous regular configuration that move on together.</summary>
    Transitional,

    /// <summary>A ring the node operates in.</summary>
    Regular,
}

/// <summary>One thing a node incarnation reported, in the order it reported it.</summary>
public abstract record LogEntry;

/// <summary>
/// The incarnation delivered <paramref name="Message"/>, which the ring ordered at
/// (<paramref name="Ring"/>, <paramref name="Sequence"/>, <paramref name="Index"/>).
/// </summary>
/// <param name="Message">Which message (read from the payload).</param>
/// <param name="Sender">The sender the engine named.</param>
/// <param name="Ring">The ring the message was ordered in.</param>
/// <param name="Sequence">Sequence number of the packet that completed it.</param>
/// <param name="Index">Its position inside that packet.</param>
/// <param name="Safe">Whether it was sent with Safe service.</param>
public sealed record Delivered(MessageKey Message, NodeId Sender, RingId Ring, long Sequence, int Index, bool Safe) : LogEntry;

/// <summary>The incarnation delivered a configuration change.</summary>
/// <param name="Kind">Transitional or regular.</param>
/// <param name="Ring">The ring being installed.</param>
/// <param name="PreviousRing">The incarnation's previous regular ring (default for its first).</param>
/// <param name="Members">The members, in any order.</param>
public sealed record Configuration(ConfigKind Kind, RingId Ring, RingId PreviousRing, IReadOnlyList<NodeId> Members) : LogEntry;

/// <summary>The incarnation's engine accepted <paramref name="Message"/> for sending.</summary>
public sealed record Submitted(MessageKey Message) : LogEntry;

/// <summary>The incarnation crashed: it reports nothing more.</summary>
public sealed record Crashed : LogEntry;

/// <summary>The incarnation left the ring gracefully: it reports nothing more.</summary>
public sealed record Left : LogEntry;
