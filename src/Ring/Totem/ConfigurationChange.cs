namespace SpreadNet.Ring.Totem;

/// <summary>Whether a configuration is transitional or regular (extended virtual synchrony).</summary>
public enum ConfigurationKind
{
    /// <summary>
    /// The members of this node's previous ring that move with it to the next one. Delivered after
    /// every message that extended virtual synchrony still allows in the previous regular
    /// configuration; the messages that follow it until the regular configuration are delivered in it.
    /// </summary>
    Transitional,

    /// <summary>The members of the ring this node now operates in.</summary>
    Regular,
}

/// <summary>
/// A configuration change, delivered in the same order relative to messages at every member.
/// A regular configuration is named by <see cref="Ring"/>; a transitional one by the pair
/// (<see cref="PreviousRing"/>, <see cref="Ring"/>).
/// </summary>
public sealed class ConfigurationChange
{
    /// <summary>Creates a configuration change.</summary>
    public ConfigurationChange(ConfigurationKind kind, RingId ring, RingId previousRing, IReadOnlyList<NodeId> members)
    {
        Kind = kind;
        Ring = ring;
        PreviousRing = previousRing;
        Members = members;
    }

    /// <summary>Transitional or regular.</summary>
    public ConfigurationKind Kind { get; }

    /// <summary>The ring being installed.</summary>
    public RingId Ring { get; }

    /// <summary>The ring this node operated in before (default for a node's first ring).</summary>
    public RingId PreviousRing { get; }

    /// <summary>The members, in ring order.</summary>
    public IReadOnlyList<NodeId> Members { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Ring} (from {PreviousRing}) [{string.Join(", ", Members)}]";
}
