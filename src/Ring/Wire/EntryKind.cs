namespace SpreadNet.Ring.Wire;

/// <summary>
/// Which layer a data entry belongs to: raw messages submitted straight to the ring node, or
/// group-layer messages (joins, leaves, multicasts of sessions). The two never see each other's.
/// </summary>
public enum EntryKind : byte
{
    /// <summary>A message submitted through <see cref="RingNode.TrySubmit"/>; delivered to the node's <see cref="IDeliveryHandler"/>.</summary>
    Application = 0,

    /// <summary>A message of the group layer (sessions, groups, views).</summary>
    Group = 1,
}
