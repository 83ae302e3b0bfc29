namespace SpreadNet.Ring;

/// <summary>
/// Delivery guarantee of one message, with Spread's meanings. Every service type is totally
/// ordered by the ring; the types differ in when a message may be handed to the application.
/// </summary>
public enum ServiceType : byte
{
    /// <summary>May be lost; delivered in ring order when it is received.</summary>
    Unreliable = 1,

    /// <summary>Never lost while the sender stays in the configuration.</summary>
    Reliable = 2,

    /// <summary>Reliable and in the order the sender sent it.</summary>
    Fifo = 3,

    /// <summary>Reliable and in causal order.</summary>
    Causal = 4,

    /// <summary>Delivered in one total order at every node, once every lower-numbered message has been received.</summary>
    Agreed = 5,

    /// <summary>Agreed, and delivered only once every member of the configuration is known to have it.</summary>
    Safe = 6,
}
