namespace SpreadNet.RingSilo;

/// <summary>The Spread rings hosted by this silo, by name (a silo singleton).</summary>
public interface ISpreadRings
{
    /// <summary>The names of the silo's rings, in the order they were added.</summary>
    IReadOnlyList<string> Names { get; }

    /// <summary>The ring named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The silo has no ring of that name; the message lists those it has.</exception>
    SpreadRing GetRing(string name);
}
