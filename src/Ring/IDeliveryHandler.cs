using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring;

/// <summary>
/// Receives a ring node's deliveries, in ring order, on the node's event-loop thread. The payload
/// is valid only during the call; copy what you keep. Keep the call short: the ring waits for it.
/// </summary>
public interface IDeliveryHandler
{
    /// <summary>One message, in the ring's total order.</summary>
    void OnDelivery(in Delivery delivery);

    /// <summary>A configuration change (transitional, then regular), in order with the messages.</summary>
    void OnConfiguration(ConfigurationChange change)
    {
    }
}
