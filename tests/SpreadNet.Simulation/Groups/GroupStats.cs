namespace SpreadNet.Simulation.Groups;

/// <summary>What the group workload of a run (or a sweep, summed) did: how much the group checkers saw.</summary>
public sealed record GroupStats
{
    /// <summary>Sessions opened.</summary>
    public long Sessions { get; init; }

    /// <summary>Multicasts sent.</summary>
    public long Multicasts { get; init; }

    /// <summary>Messages handed to sessions.</summary>
    public long Deliveries { get; init; }

    /// <summary>Views handed to sessions (every kind).</summary>
    public long Views { get; init; }

    /// <summary>Transitional views handed to sessions.</summary>
    public long TransitionalViews { get; init; }

    /// <summary>Exchanges a configuration change cut short (counted once per node).</summary>
    public long ExchangesCutShort { get; init; }

    /// <summary>The sum of two tallies.</summary>
    public GroupStats Add(GroupStats other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new()
        {
            Sessions = Sessions + other.Sessions,
            Multicasts = Multicasts + other.Multicasts,
            Deliveries = Deliveries + other.Deliveries,
            Views = Views + other.Views,
            TransitionalViews = TransitionalViews + other.TransitionalViews,
            ExchangesCutShort = ExchangesCutShort + other.ExchangesCutShort,
        };
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Sessions} sessions, {Multicasts} multicasts, {Deliveries} messages and {Views} views ({TransitionalViews} transitional) handed to sessions, {ExchangesCutShort} exchanges cut short";
}
