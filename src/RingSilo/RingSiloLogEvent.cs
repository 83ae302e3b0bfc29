namespace SpreadNet.RingSilo;

/// <summary>
/// Log event ids of ring hosting in silos: 1100-1199 (the ring node itself uses 1000-1099), as
/// Orleans gives each provider a range of its own.
/// </summary>
internal enum RingSiloLogEvent
{
    /// <summary>First id of the range.</summary>
    Base = 1100,

    /// <summary>A ring starts on this silo.</summary>
    RingStarting = Base + 1,

    /// <summary>A ring left its ring and stopped.</summary>
    RingStopped = Base + 2,

    /// <summary>The ring's peers changed with cluster membership.</summary>
    PeersChanged = Base + 3,

    /// <summary>Another silo's ring runs with settings that differ from this silo's.</summary>
    SettingsMismatch = Base + 4,

    /// <summary>Active silos' advertisements did not arrive in time at start.</summary>
    AdvertisementsMissing = Base + 5,

    /// <summary>A silo advertises no rings.</summary>
    SiloWithoutRings = Base + 6,

    /// <summary>Watching membership failed.</summary>
    WatchFailed = Base + 7,

    /// <summary>A ring node stopped with an error.</summary>
    RingFaulted = Base + 8,

    /// <summary>A ring event concerning another silo, named.</summary>
    PeerEvent = Base + 9,

    /// <summary>A ring problem concerning another silo (version, one-way link, lost messages), named.</summary>
    PeerProblem = Base + 10,
}
