namespace SpreadNet.Interfaces;

/// <summary>
/// Where a message or view sits in the ring's total order: the same at every member that
/// receives it, and increasing in delivery order within one ring configuration.
/// </summary>
/// <param name="Ring">The ring configuration (representative node and sequence) it was ordered in.</param>
/// <param name="Sequence">Ring sequence number of the packet that completed it (0 for a transitional view).</param>
/// <param name="Index">Position inside that packet.</param>
[GenerateSerializer]
[Immutable]
[Alias("spreadnet.GroupPosition")]
public readonly record struct GroupPosition(
    [property: Id(0)] string Ring,
    [property: Id(1)] long Sequence,
    [property: Id(2)] int Index)
{
    /// <inheritdoc />
    public override string ToString() => $"{Ring}/{Sequence}.{Index}";
}
