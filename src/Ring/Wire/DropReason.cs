namespace SpreadNet.Ring.Wire;

/// <summary>Why a received datagram was dropped without changing any state.</summary>
public enum DropReason
{
    /// <summary>Shorter than the fixed header.</summary>
    TooShort,

    /// <summary>Longer than the ring's maximum datagram size.</summary>
    TooLong,

    /// <summary>Does not start with the SpreadNet magic: not a SpreadNet packet.</summary>
    BadMagic,

    /// <summary>A protocol version this node does not speak.</summary>
    BadVersion,

    /// <summary>A packet type this node does not know.</summary>
    UnknownType,

    /// <summary>The length in the header, or a length inside the body, does not match the datagram.</summary>
    BadLength,

    /// <summary>A field holds a value outside its allowed range.</summary>
    BadField,

    /// <summary>The sender is not a member of this node's ring.</summary>
    UnknownSender,

    /// <summary>The packet belongs to another ring (another ring id).</summary>
    ForeignRing,

    /// <summary>A token that is older than, or the same as, one already processed.</summary>
    StaleToken,

    /// <summary>A data packet already received (or already freed as delivered everywhere).</summary>
    DuplicateData,

    /// <summary>A data packet too far ahead of what this node has, beyond its receive window.</summary>
    OutsideWindow,

    /// <summary>A packet type that is valid but not expected in the node's current state.</summary>
    Unexpected,

    /// <summary>
    /// With a cluster key: the datagram failed authentication (another key or mode, no key at the
    /// sender, damage, forgery). Without one: the datagram was sealed with a key this node lacks.
    /// </summary>
    BadAuthentication,

    /// <summary>With a cluster key: an authentic datagram whose transmitter already used its counter (a replay or a network duplicate).</summary>
    Replayed,
}
