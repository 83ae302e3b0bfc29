using Orleans.Runtime;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Tests;

public sealed class SpreadGroupsOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => SpreadGroupsOptionsValidator.Validate("groups", new SpreadGroupsOptions());

    [Theory]
    [InlineData(nameof(SpreadGroupsOptions.MaxQueuedEvents))]
    [InlineData(nameof(SpreadGroupsOptions.MaxQueuedBytes))]
    [InlineData(nameof(SpreadGroupsOptions.IdentityTimeout))]
    [InlineData(nameof(SpreadGroupsOptions.ClientResponseTimeout))]
    [InlineData(nameof(SpreadGroupsOptions.DepartedRetention))]
    public void Validate_SettingOutOfRange_NamesRingSettingAndFix(string setting)
    {
        var options = new SpreadGroupsOptions();
        switch (setting)
        {
            case nameof(SpreadGroupsOptions.MaxQueuedEvents): options.MaxQueuedEvents = 0; break;
            case nameof(SpreadGroupsOptions.MaxQueuedBytes): options.MaxQueuedBytes = 0; break;
            case nameof(SpreadGroupsOptions.IdentityTimeout): options.IdentityTimeout = TimeSpan.Zero; break;
            case nameof(SpreadGroupsOptions.ClientResponseTimeout): options.ClientResponseTimeout = TimeSpan.Zero; break;
            default: options.DepartedRetention = TimeSpan.FromSeconds(1); break;
        }

        var error = Assert.Throws<OrleansConfigurationException>(() => SpreadGroupsOptionsValidator.Validate("groups", options));
        Assert.StartsWith("Spread groups on ring 'groups': " + setting, error.Message, StringComparison.Ordinal);
        Assert.Contains("by default", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GroupKeys_FormatThenParse_RoundTrips()
    {
        Assert.Equal("groups/chat/room-1", GroupKeys.Format("chat/room-1"));
        Assert.Equal(("main", "chat/room-1"), GroupKeys.Parse(GroupKeys.Format("chat/room-1", "main")));
        Assert.Contains("'ring/group'", Assert.Throws<ArgumentException>(() => GroupKeys.Parse("noslash")).Message, StringComparison.Ordinal);
    }
}
