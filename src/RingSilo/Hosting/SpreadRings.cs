using Microsoft.Extensions.DependencyInjection;

namespace SpreadNet.RingSilo.Hosting;

/// <summary>The silo's rings by name, from the keyed <see cref="SpreadRing"/> services.</summary>
internal sealed class SpreadRings(SpreadRingRegistry registry, IServiceProvider services) : ISpreadRings
{
    public IReadOnlyList<string> Names => registry.Names;

    public SpreadRing GetRing(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return registry.IndexOf(name) >= 0
            ? services.GetRequiredKeyedService<SpreadRing>(name)
            : throw new KeyNotFoundException(
                $"This silo has no Spread ring named '{name}' (its rings: {(Names.Count == 0 ? "none" : string.Join(", ", Names.Select(n => $"'{n}'")))}). Add it with siloBuilder.AddSpreadRing(\"{name}\").");
    }
}
