namespace SpreadNet.Ring.Verification;

/// <summary>A broken property: its name (see <see cref="EvsProperty"/>) and what was seen.</summary>
public sealed record EvsViolation(string Property, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"[{Property}] {Message}";
}
