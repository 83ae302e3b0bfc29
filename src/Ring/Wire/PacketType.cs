namespace SpreadNet.Ring.Wire;

/// <summary>Kinds of ring packet, named after Totem's.</summary>
public enum PacketType : byte
{
    /// <summary>The regular (ORF) token: ordering, reliability and flow control.</summary>
    Token = 1,

    /// <summary>A sequenced data packet carrying packed messages or fragments (Totem's mcast).</summary>
    Data = 2,

    /// <summary>Asks the representative to release a token it holds while the ring is idle.</summary>
    TokenHoldCancel = 3,

    /// <summary>Membership: join message (proc set, fail set, ring sequence).</summary>
    Join = 4,

    /// <summary>Membership: commit token.</summary>
    CommitToken = 5,

    /// <summary>Membership: announces a ring to nodes that may belong to another one.</summary>
    MergeDetect = 6,

    /// <summary>A node announces that it is leaving the ring.</summary>
    Leave = 7,

    /// <summary>Wakes a node's own event loop; never sent between nodes.</summary>
    Wake = 8,
}
