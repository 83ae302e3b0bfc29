namespace SpreadNet.Ring.Verification;

/// <summary>
/// One life of a node: from a start to a crash, a leave or the end of the run. A node that restarts
/// keeps its <see cref="NodeId"/> and gets the next <see cref="Number"/>; its engine starts afresh.
/// </summary>
public readonly record struct Incarnation(NodeId Node, int Number)
{
    /// <inheritdoc />
    public override string ToString() => $"{Node}/{Number}";
}
