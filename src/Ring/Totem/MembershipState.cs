namespace SpreadNet.Ring.Totem;

/// <summary>The engine's membership state (Totem's).</summary>
public enum MembershipState
{
    /// <summary>Not started, or left the ring.</summary>
    Stopped,

    /// <summary>Agreeing with the reachable nodes on the next ring's members.</summary>
    Gather,

    /// <summary>The commit token is circulating: the new ring's members report what they have.</summary>
    Commit,

    /// <summary>The new ring carries the old rings' messages that some members miss.</summary>
    Recovery,

    /// <summary>Ordering messages in a regular configuration.</summary>
    Operational,
}
