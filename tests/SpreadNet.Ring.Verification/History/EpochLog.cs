namespace SpreadNet.Ring.Verification;

/// <summary>
/// What one incarnation delivered of one regular configuration C: the messages delivered while C
/// was its regular configuration, the transitional configuration that closed it (if any), the
/// messages of C delivered after that, and how the epoch ended.
/// </summary>
internal sealed class EpochLog(RingId ring, NodeId[] members)
{
    public RingId Ring { get; } = ring;

    /// <summary>Members of C, sorted.</summary>
    public NodeId[] Members { get; } = members;

    /// <summary>Messages of C delivered in the regular configuration C.</summary>
    public List<Delivered> RegularPart { get; } = [];

    /// <summary>Messages of C delivered after the transitional configuration.</summary>
    public List<Delivered> TransitionalPart { get; } = [];

    /// <summary>The transitional configuration that followed C, once delivered.</summary>
    public Configuration? Transitional { get; set; }

    /// <summary>The regular configuration installed after C (the incarnation moved on), or null.</summary>
    public RingId? Next { get; set; }

    /// <summary>Whether the incarnation crashed or left while C was its regular configuration.</summary>
    public bool EndedHere { get; set; }
}
