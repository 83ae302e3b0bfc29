namespace SpreadNet.Simulation;

/// <summary>
/// Which directed links work right now: a partition puts every node in a component and only
/// links inside a component work; a one-way link fault breaks one direction of one link.
/// </summary>
public sealed class Connectivity
{
    private readonly HashSet<(int From, int To)> _broken = [];
    private IReadOnlyList<int>? _components;

    /// <summary>Whether a partition is in force.</summary>
    public bool Partitioned => _components is not null;

    /// <summary>Whether datagrams from node <paramref name="from"/> reach node <paramref name="to"/>.</summary>
    public bool Works(int from, int to) =>
        !_broken.Contains((from, to)) && (_components is null || _components[from] == _components[to]);

    /// <summary>Splits the network: node i is in component <paramref name="components"/>[i].</summary>
    public void Partition(IReadOnlyList<int> components) => _components = components;

    /// <summary>Ends the partition.</summary>
    public void Heal() => _components = null;

    /// <summary>Breaks the link from <paramref name="from"/> to <paramref name="to"/> (the other direction keeps working).</summary>
    public void BreakOneWay(int from, int to) => _broken.Add((from, to));

    /// <summary>Repairs the link from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void RepairOneWay(int from, int to) => _broken.Remove((from, to));
}
