using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using SpreadNet.Grains.Membership;

namespace SpreadNet.Grains.Hosting;

/// <summary>The rings <c>AddSpreadGroups</c> was called for on this silo (filled while the silo is configured).</summary>
internal sealed class GroupRingRegistry
{
    private readonly List<string> _names = [];

    public IReadOnlyList<string> Names => _names;

    public void Add(string ring)
    {
        if (_names.Contains(ring, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Spread groups were already added for ring '{ring}' on this silo; call AddSpreadGroups once per ring.", nameof(ring));
        }

        _names.Add(ring);
    }
}

/// <summary>Finds the group service of a ring on this silo, with an error that says how to add it.</summary>
internal sealed class GroupRings(IServiceProvider services, GroupRingRegistry registry, ILocalSiloDetails silo)
{
    public GroupRing Get(string ring) =>
        services.GetKeyedService<GroupRing>(ring) ?? throw new InvalidOperationException(
            $"Spread groups are not added for ring '{ring}' on silo {silo.SiloAddress}" +
            (registry.Names.Count == 0 ? " (it has none)" : $" (it has them for: {string.Join(", ", registry.Names)})") +
            $": call siloBuilder.AddSpreadGroups(\"{ring}\") on every silo, or get the group on one of those rings.");

    /// <summary>Removes a member from its groups on every ring of this silo (reason Disconnect).</summary>
    public Task RemoveEverywhereAsync(GrainId member) =>
        Task.WhenAll(registry.Names.Select(name => Get(name).RemoveAsync(member)));
}
