using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace SpreadNet.Grains;

/// <summary>
/// Checks the group settings of a ring at silo start and stops the silo with an
/// <see cref="OrleansConfigurationException"/> naming the ring, the setting and the fix.
/// </summary>
internal sealed class SpreadGroupsOptionsValidator(string ring, SpreadGroupsOptions options) : IConfigurationValidator
{
    public static SpreadGroupsOptionsValidator Create(IServiceProvider services, string ring) =>
        new(ring, services.GetRequiredService<IOptionsMonitor<SpreadGroupsOptions>>().Get(ring));

    public void ValidateConfiguration() => Validate(ring, options);

    internal static void Validate(string ring, SpreadGroupsOptions options)
    {
        if (options.MaxQueuedEvents < 1)
        {
            throw Setting(ring, nameof(SpreadGroupsOptions.MaxQueuedEvents), $"is {options.MaxQueuedEvents}", "use 1 or more (10,000 by default)");
        }

        if (options.MaxQueuedBytes < 1)
        {
            throw Setting(ring, nameof(SpreadGroupsOptions.MaxQueuedBytes), $"is {options.MaxQueuedBytes}", "use 1 or more (64 MiB by default)");
        }

        if (options.IdentityTimeout <= TimeSpan.Zero || options.IdentityTimeout > TimeSpan.FromMinutes(1))
        {
            throw Setting(ring, nameof(SpreadGroupsOptions.IdentityTimeout), $"is {options.IdentityTimeout}", "use more than zero and at most 1 minute (5 seconds by default)");
        }

        if (options.ClientResponseTimeout <= TimeSpan.Zero)
        {
            throw Setting(ring, nameof(SpreadGroupsOptions.ClientResponseTimeout), $"is {options.ClientResponseTimeout}", "use a positive time (30 seconds by default)");
        }

        if (options.DepartedRetention < options.IdentityTimeout)
        {
            throw Setting(ring, nameof(SpreadGroupsOptions.DepartedRetention), $"({options.DepartedRetention}) is less than IdentityTimeout ({options.IdentityTimeout})", "keep departed members at least as long as a delivery may wait for one (1 minute by default)");
        }
    }

    private static OrleansConfigurationException Setting(string ring, string setting, string problem, string fix) =>
        new($"Spread groups on ring '{ring}': {setting} {problem}; {fix}.");
}
