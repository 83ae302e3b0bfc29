namespace SpreadNet.Grains;

/// <summary>Log event ids of the group grains: 1300-1399.</summary>
internal enum GrainsLogEvent
{
    /// <summary>First id of the range.</summary>
    Base = 1300,

    /// <summary>The group service of a ring started on this silo.</summary>
    Started = Base + 1,

    /// <summary>A member's delivery call threw; delivery goes on with the next event.</summary>
    DeliveryFailed = Base + 2,

    /// <summary>A client member could not be reached and was removed from its groups.</summary>
    MemberUnreachable = Base + 3,

    /// <summary>A member's ring session ended (it fell behind its receive limits, or the ring stopped).</summary>
    SessionEnded = Base + 4,

    /// <summary>A member's identity was not announced in time; its views name it by ring name only.</summary>
    IdentityUnknown = Base + 5,

    /// <summary>Reading the directory session failed.</summary>
    DirectoryFailed = Base + 6,

    /// <summary>A message's payload could not be deserialized.</summary>
    PayloadUnreadable = Base + 7,
}
