using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Runtime;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.StreamProvider;

/// <summary>
/// Checks a Spread stream provider's settings at start and stops the silo or client with an
/// <see cref="OrleansConfigurationException"/> naming the provider, the setting and the fix.
/// </summary>
internal sealed class SpreadStreamOptionsValidator(string name, SpreadStreamOptions options) : IConfigurationValidator
{
    public static SpreadStreamOptionsValidator Create(IServiceProvider services, string name) =>
        new(name, services.GetRequiredService<IOptionsMonitor<SpreadStreamOptions>>().Get(name));

    public void ValidateConfiguration() => Validate(name, options);

    internal static void Validate(string name, SpreadStreamOptions options)
    {
        if (string.IsNullOrEmpty(options.RingName))
        {
            throw Setting(name, nameof(SpreadStreamOptions.RingName), "is empty", $"name a ring added with AddSpreadRing (default \"{SpreadStreamOptions.DefaultRingName}\")");
        }

        if (options.ServiceType is not (ServiceType.Agreed or ServiceType.Safe))
        {
            throw Setting(name, nameof(SpreadStreamOptions.ServiceType), $"is {options.ServiceType}", "use Agreed (the default) or Safe: streams need total order");
        }

        if (options.QueueCount is < 1 or > 1024)
        {
            throw Setting(name, nameof(SpreadStreamOptions.QueueCount), $"is {options.QueueCount}", "use 1 to 1,024 (8 by default), the same on every silo and client");
        }

        if (options.CacheSize < 1)
        {
            throw Setting(name, nameof(SpreadStreamOptions.CacheSize), $"is {options.CacheSize}", "use 1 or more (4,096 by default)");
        }

        if (options.DeliveryBatchSize is < 1 or > 4096)
        {
            throw Setting(name, nameof(SpreadStreamOptions.DeliveryBatchSize), $"is {options.DeliveryBatchSize}", "use 1 to 4,096 events (1 by default: one producer call per delivery)");
        }

        if (options.RetentionCount < 1)
        {
            throw Setting(name, nameof(SpreadStreamOptions.RetentionCount), $"is {options.RetentionCount}", "use 1 or more (16,384 by default)");
        }

        if (options.RetentionBytes < 1)
        {
            throw Setting(name, nameof(SpreadStreamOptions.RetentionBytes), $"is {options.RetentionBytes}", "use 1 or more (64 MiB by default)");
        }

        if (options.RetentionAge <= TimeSpan.Zero)
        {
            throw Setting(name, nameof(SpreadStreamOptions.RetentionAge), $"is {options.RetentionAge}", "use a positive time (5 minutes by default)");
        }

        if (options.WatermarkInterval <= TimeSpan.Zero || options.WatermarkInterval > TimeSpan.FromMinutes(1))
        {
            throw Setting(name, nameof(SpreadStreamOptions.WatermarkInterval), $"is {options.WatermarkInterval}", "use more than zero and at most 1 minute (100 ms by default)");
        }

        if (options.MaxReceiveWait < TimeSpan.Zero || options.MaxReceiveWait > TimeSpan.FromSeconds(30))
        {
            throw Setting(name, nameof(SpreadStreamOptions.MaxReceiveWait), $"is {options.MaxReceiveWait}", "use zero (poll only) to 30 seconds (1 s by default)");
        }
    }

    internal static OrleansConfigurationException Setting(string name, string setting, string problem, string fix) =>
        new($"Spread stream provider '{name}': {setting} {problem}; {fix}.");

    /// <summary>The ring group carrying provider <paramref name="name"/>'s events.</summary>
    internal static string GroupName(string name)
    {
        var group = "spread-streams." + name;
        try
        {
            GroupNames.ValidateGroup(group);
            if (string.IsNullOrEmpty(name))
            {
                throw new ArgumentException("A provider needs a name.", nameof(name));
            }
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"'{name}' cannot name a Spread stream provider: use 1 to {GroupNames.MaxGroupNameLength - 15} printable ASCII characters without spaces or '#', for example \"spread\".", nameof(name), ex);
        }

        return group;
    }
}
