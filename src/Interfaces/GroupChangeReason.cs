namespace SpreadNet.Interfaces;

/// <summary>Why a group's membership changed (Spread's CAUSED_BY_*).</summary>
[GenerateSerializer]
[Alias("spreadnet.GroupChangeReason")]
public enum GroupChangeReason
{
    /// <summary>A member joined.</summary>
    Join = 0,

    /// <summary>A member left the group (<see cref="IGroupGrain.LeaveAsync"/>).</summary>
    Leave = 1,

    /// <summary>
    /// A member was removed without leaving: its grain deactivated, its client went away, or it fell
    /// behind its receive limits.
    /// </summary>
    Disconnect = 2,

    /// <summary>The ring configuration changed: members were lost with their silo, or gained in a merge.</summary>
    Network = 3,
}
