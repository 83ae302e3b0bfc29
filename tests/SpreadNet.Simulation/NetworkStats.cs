namespace SpreadNet.Simulation;

/// <summary>What the simulated network did with the datagrams it was given.</summary>
public sealed class NetworkStats
{
    /// <summary>Datagrams handed to the network.</summary>
    public long Sent { get; internal set; }

    /// <summary>Datagrams lost at random.</summary>
    public long Lost { get; internal set; }

    /// <summary>Datagrams dropped by a clogged link.</summary>
    public long Clogged { get; internal set; }

    /// <summary>Datagrams delivered twice.</summary>
    public long Duplicated { get; internal set; }

    /// <summary>Datagrams lost to a partition or a one-way link.</summary>
    public long Cut { get; internal set; }

    /// <summary>Datagrams sent to a node that was not running, or that stopped or restarted before they arrived.</summary>
    public long ToStoppedNode { get; internal set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"sent {Sent}, lost {Lost}, clogged {Clogged}, duplicated {Duplicated}{(Cut + ToStoppedNode > 0 ? $", cut {Cut}, to stopped nodes {ToStoppedNode}" : "")}";
}
