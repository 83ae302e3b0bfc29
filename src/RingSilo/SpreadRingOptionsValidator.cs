using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;
using SpreadNet.RingSilo.Hosting;

namespace SpreadNet.RingSilo;

/// <summary>
/// Checks one hosted ring's settings before the silo starts and stops the start with an
/// <see cref="OrleansConfigurationException"/> naming the ring, the setting and the fix: every rule
/// of <see cref="Ring.RingOptions.Validate"/>, the listen address and port, and ports shared with
/// another ring of the silo.
/// </summary>
internal sealed class SpreadRingOptionsValidator(string name, LocalRings rings) : IConfigurationValidator
{
    /// <summary>The validator of ring <paramref name="name"/>.</summary>
    public static SpreadRingOptionsValidator Create(IServiceProvider services, string name) =>
        new(name, services.GetRequiredService<LocalRings>());

    /// <inheritdoc />
    public void ValidateConfiguration()
    {
        var ring = rings.Get(name);
        if (ring.Options.PeerAdvertisementTimeout < TimeSpan.Zero)
        {
            throw SpreadRingErrors.Setting(name, nameof(SpreadRingOptions.PeerAdvertisementTimeout), $"is {ring.Options.PeerAdvertisementTimeout}", "use zero or more (10 s by default)");
        }

        foreach (var other in rings.Names.TakeWhile(n => n != name))
        {
            if (rings.Get(other).Advertisement.EndPoint.Equals(ring.Advertisement.EndPoint))
            {
                throw SpreadRingErrors.Setting(
                    name,
                    nameof(SpreadRingOptions.Port),
                    $"makes it listen on {ring.Advertisement.EndPoint}, where ring '{other}' of this silo listens too",
                    "give each ring of a silo its own port (or leave Port unset for silo port + 1,000 + 100 x ring index)");
            }
        }
    }
}
