using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>Kinds of notable things a ring node reports.</summary>
public enum RingEventKind
{
    /// <summary>The token did not come back in time: the ring reforms.</summary>
    TokenLost,

    /// <summary>A member keeps missing a message it keeps asking for: it is removed from the ring.</summary>
    FailedToReceive,

    /// <summary>A member announced that it is leaving.</summary>
    MemberLeft,

    /// <summary>A node's ring settings differ from this node's: the two will not form a ring.</summary>
    SettingsMismatch,

    /// <summary>A node speaks another protocol version: the two will not form a ring.</summary>
    VersionMismatch,

    /// <summary>This node hears a node that does not hear it: that node stays out of the ring.</summary>
    OneWayLink,

    /// <summary>A ring of another set of nodes was heard: the rings merge.</summary>
    MergeDetected,

    /// <summary>
    /// A node sends packets that fail authentication (or, to a node without a cluster key, sealed
    /// ones): the two have different cluster keys, or only one has a key. They never form a ring.
    /// </summary>
    AuthenticationFailed,

    /// <summary>A node's authentic packets arrive again, or numbered below ones it already used: a replay, or a restart with the clock set back.</summary>
    ReplayRejected,
}

/// <summary>Something a ring node reports to its operator, in plain words.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Peer">The other node concerned, if any.</param>
/// <param name="Message">A sentence naming the nodes (by address), what happened and, for errors, the fix.</param>
/// <param name="Difference">For settings mismatches: the setting, both values and the fix.</param>
public sealed record RingEvent(RingEventKind Kind, NodeId Peer, string Message, SettingDifference? Difference = null);
