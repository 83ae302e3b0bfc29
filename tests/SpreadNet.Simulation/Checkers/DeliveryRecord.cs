using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation.Checkers;

/// <summary>One delivery as the checkers see it: the node, the engine's delivery, and the message id read from the payload.</summary>
public readonly ref struct DeliveryRecord
{
    /// <summary>Creates a record.</summary>
    public DeliveryRecord(SimulatedNode node, in Delivery delivery, bool hasId, MessageId id, int declaredSize)
    {
        Node = node;
        Delivery = delivery;
        HasId = hasId;
        Id = id;
        DeclaredSize = declaredSize;
    }

    /// <summary>The delivering node.</summary>
    public SimulatedNode Node { get; }

    /// <summary>What the engine delivered.</summary>
    public Delivery Delivery { get; }

    /// <summary>Whether the payload starts with a well-formed message header.</summary>
    public bool HasId { get; }

    /// <summary>The message id in the payload header.</summary>
    public MessageId Id { get; }

    /// <summary>The size written in the payload header.</summary>
    public int DeclaredSize { get; }
}
