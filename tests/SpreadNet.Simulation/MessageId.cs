namespace SpreadNet.Simulation;

/// <summary>Names a submitted message: the submitting node's index and its per-node counter (0, 1, 2, ...).</summary>
public readonly record struct MessageId(int Node, int Counter)
{
    /// <inheritdoc />
    public override string ToString() => $"n{Node}#{Counter}";
}
