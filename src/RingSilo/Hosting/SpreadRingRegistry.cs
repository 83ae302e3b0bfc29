namespace SpreadNet.RingSilo.Hosting;

/// <summary>
/// The rings added to one silo, in the order of the <c>AddSpreadRing</c> calls (the order gives
/// each ring its default port). Filled while the silo is configured; read-only once it runs.
/// </summary>
internal sealed class SpreadRingRegistry
{
    private readonly List<string> _names = [];

    /// <summary>The ring names, in the order they were added.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>Adds a ring name.</summary>
    /// <exception cref="ArgumentException">A ring of that name was already added to this silo.</exception>
    public void Add(string name)
    {
        if (_names.Contains(name, StringComparer.Ordinal))
        {
            throw new ArgumentException($"A Spread ring named '{name}' was already added to this silo; give each AddSpreadRing call its own name.", nameof(name));
        }

        _names.Add(name);
    }

    /// <summary>The ring's position among the silo's rings (0 for the first added).</summary>
    public int IndexOf(string name) => _names.IndexOf(name);
}
