namespace SpreadNet.StreamProvider;

/// <summary>Log event ids of the Spread stream provider: 1200-1299.</summary>
internal enum StreamProviderLogEvent
{
    /// <summary>First id of the range.</summary>
    Base = 1200,

    /// <summary>The provider joined its ring group on this silo.</summary>
    Started = Base + 1,

    /// <summary>Reading the ring session failed.</summary>
    ReaderFailed = Base + 2,

    /// <summary>An event named a queue this silo does not have.</summary>
    UnknownQueue = Base + 3,

    /// <summary>A receiver starts on a queue.</summary>
    ReceiverStarted = Base + 4,

    /// <summary>A receiver's start position is no longer held (events were lost to a retention limit or a late join).</summary>
    ReceiverGap = Base + 5,
}
