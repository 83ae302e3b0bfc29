using System.Globalization;

namespace SpreadNet.Ring;

/// <summary>
/// Names one ring configuration: its representative and a sequence number that grows with every
/// new configuration, so the same id never stands for two different rings.
/// </summary>
public readonly record struct RingId(NodeId Representative, ulong Sequence)
{
    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Representative}:{Sequence}");
}
