namespace SpreadNet.Ring.Wire;

/// <summary>What <see cref="PacketProtector.Open"/> made of a received datagram.</summary>
internal enum OpenResult
{
    /// <summary>Authentic and fresh: the packet (decrypted, without its trailer) may go to the engine.</summary>
    Opened,

    /// <summary>Does not start with the SpreadNet magic: not a SpreadNet datagram at all.</summary>
    NotSpreadNet,

    /// <summary>A SpreadNet header whose length is the whole datagram: sent by a node without a cluster key.</summary>
    Unsealed,

    /// <summary>Too short to hold a header and a trailer.</summary>
    TooShort,

    /// <summary>The tag does not match (another key, another mode, damage or forgery), or the lengths disagree.</summary>
    BadAuthentication,

    /// <summary>Authentic, but its transmitter already used this counter, or one so much higher that this one is out of the window.</summary>
    Replayed,
}
