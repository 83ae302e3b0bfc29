namespace SpreadNet.Ring.Verification;

/// <summary>
/// Names one application message, whoever delivers it: the node that submitted it and that node's
/// number for it, growing in submission order (0, 1, 2, ... in the simulator; any increasing
/// numbering works). Carried in the payload, so every log can name the message.
/// </summary>
public readonly record struct MessageKey(NodeId Origin, long Number)
{
    /// <inheritdoc />
    public override string ToString() => $"{Origin}#{Number}";
}
