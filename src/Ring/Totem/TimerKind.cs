namespace SpreadNet.Ring.Totem;

/// <summary>The engine's timers; the driver implements each with its clock.</summary>
public enum TimerKind
{
    /// <summary>No token for too long: the token is lost.</summary>
    TokenLoss = 0,

    /// <summary>The token this node forwarded shows no progress: send it again.</summary>
    TokenRetransmit = 1,

    /// <summary>The representative has held an idle token long enough: pass it on.</summary>
    TokenHold = 2,
}

/// <summary>Timer helpers.</summary>
public static class TimerKinds
{
    /// <summary>Number of timer kinds, for drivers that keep one slot per kind.</summary>
    public const int Count = 3;

    /// <summary>The due time that means "not armed".</summary>
    public const long Disarmed = long.MaxValue;
}
