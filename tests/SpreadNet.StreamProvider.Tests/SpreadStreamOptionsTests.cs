using Orleans.Runtime;

namespace SpreadNet.StreamProvider.Tests;

public sealed class SpreadStreamOptionsTests
{
    [Fact]
    public void Validate_Defaults_Pass() => SpreadStreamOptionsValidator.Validate("spread", new SpreadStreamOptions());

    [Fact]
    public void Validate_ZeroQueues_NamesProviderSettingAndFix()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => SpreadStreamOptionsValidator.Validate("spread", new SpreadStreamOptions { QueueCount = 0 }));
        Assert.Contains("'spread'", error.Message, StringComparison.Ordinal);
        Assert.Contains("QueueCount", error.Message, StringComparison.Ordinal);
        Assert.Contains("use 1 to 1,024", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnreliableService_Refused()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => SpreadStreamOptionsValidator.Validate("spread", new SpreadStreamOptions { ServiceType = Ring.ServiceType.Fifo }));
        Assert.Contains("ServiceType", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DeliveryBatchSizeZero_NamesSettingAndFix()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() => SpreadStreamOptionsValidator.Validate("spread", new SpreadStreamOptions { DeliveryBatchSize = 0 }));
        Assert.Contains("DeliveryBatchSize", error.Message, StringComparison.Ordinal);
        Assert.Contains("use 1 to 4,096", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SpreadSequenceToken_ComparedAcrossConfigurations_RingSequenceFirst()
    {
        var older = new SpreadSequenceToken(5, 900, 3, 0);
        var newer = new SpreadSequenceToken(6, 1, 0, 0);
        Assert.True(older.CompareTo(newer) < 0);
        Assert.True(newer.ForEvent(1).CompareTo(newer) > 0);
        Assert.Equal(new SpreadSequenceToken(6, 1, 0, 0), newer);
    }
}
