namespace SpreadNet.Ring.Totem;

/// <summary>The engine's timers; the driver implements each with its clock.</summary>
public enum TimerKind
{
    /// <summary>No token for too long: the token (or the commit token) is lost.</summary>
    TokenLoss = 0,

    /// <summary>The token this node forwarded shows no progress: send it again.</summary>
    TokenRetransmit = 1,

    /// <summary>The representative has held an idle token long enough: pass it on.</summary>
    TokenHold = 2,

    /// <summary>Gather: send the join message again.</summary>
    Join = 3,

    /// <summary>Gather: the nodes that have not agreed by now are considered failed.</summary>
    Consensus = 4,

    /// <summary>Operational: announce the ring to known nodes outside it.</summary>
    MergeDetect = 5,
}

/// <summary>Timer helpers.</summary>
public static class TimerKinds
{
    /// <summary>Number of timer kinds, for drivers that keep one slot per kind.</summary>
    public const int Count = 6;

    /// <summary>The due time that means "not armed".</summary>
    public const long Disarmed = long.MaxValue;
}
