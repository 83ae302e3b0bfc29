namespace SpreadNet.Interfaces;

/// <summary>
/// Delivery guarantee of a group multicast, with Spread's meanings (the values are those of
/// <c>SpreadNet.Ring.ServiceType</c>). Every type is totally ordered by the ring: the members of
/// a group receive its messages in one order; the types differ in when a message may be delivered.
/// </summary>
[GenerateSerializer]
[Alias("spreadnet.GroupServiceType")]
public enum GroupServiceType : byte
{
    /// <summary>May be lost; delivered in ring order when it is received.</summary>
    Unreliable = 1,

    /// <summary>Never lost while the sending silo stays in the ring configuration.</summary>
    Reliable = 2,

    /// <summary>Reliable and in the order the sender sent it.</summary>
    Fifo = 3,

    /// <summary>Reliable and in causal order.</summary>
    Causal = 4,

    /// <summary>Delivered in one total order at every member (the default).</summary>
    Agreed = 5,

    /// <summary>Agreed, and delivered only once every silo of the ring configuration is known to have it.</summary>
    Safe = 6,
}
