using System.Net;

namespace SpreadNet.Ring.Tests;

public class RingOptionsTests
{
    private static readonly IPEndPoint Self = new(IPAddress.Loopback, 4803);

    /// <summary>Each broken rule: how to break it, the setting named and a piece of the fix the message must give.</summary>
    private static readonly Dictionary<string, (Action<RingOptions> Break, string Setting, string Fix)> Rules = new()
    {
        ["Name empty"] = (o => o.Name = string.Empty, "Name", "use 1 to 64 letters, digits"),
        ["Name null"] = (o => o.Name = null!, "Name", "leave the default \"default\""),
        ["Name with a space"] = (o => o.Name = "my ring", "Name", "letters, digits, '.', '-' or '_'"),
        ["Name too long"] = (o => o.Name = new string('r', 65), "Name", "use 1 to 64"),
        ["ListenEndPoint missing"] = (o => o.ListenEndPoint = null, "ListenEndPoint", "set it to this node's address and UDP port"),
        ["ListenEndPoint port zero"] = (o => o.ListenEndPoint = new IPEndPoint(IPAddress.Loopback, 0), "ListenEndPoint", "a fixed UDP port"),
        ["ListenEndPoint wildcard"] = (o => o.ListenEndPoint = new IPEndPoint(IPAddress.Any, 4803), "ListenEndPoint", "concrete IPv4 address"),
        ["seed with port zero"] = (o => o.Seeds.Add(new IPEndPoint(IPAddress.Loopback, 0)), "Seeds", "list the IPv4 address and UDP port of each seed node"),
        ["JoinTimeout too short"] = (o => o.JoinTimeout = TimeSpan.Zero, "JoinTimeout", "use at least 1 ms"),
        ["ConsensusTimeout below two joins"] = (o => { o.JoinTimeout = TimeSpan.FromMilliseconds(700); o.ConsensusTimeout = TimeSpan.FromMilliseconds(1300); }, "ConsensusTimeout", "use at least twice JoinTimeout (1400 ms)"),
        ["ConsensusTimeout below 1.2 x TokenLossTimeout"] = (o => o.ConsensusTimeout = TimeSpan.FromMilliseconds(1199), "ConsensusTimeout", "use at least 1.2 x TokenLossTimeout (1200 ms)"),
        ["MergeDetectInterval too short"] = (o => o.MergeDetectInterval = TimeSpan.FromMilliseconds(9), "MergeDetectInterval", "use at least 10 ms"),
        ["FailToReceiveRotations too few"] = (o => o.FailToReceiveRotations = 9, "FailToReceiveRotations", "use at least 10 rotations"),
        ["MaxMessageSize over a quarter of the receive window"] = (o => { o.MaxDatagramSize = 1400; o.ReceiveWindow = 256; }, "MaxMessageSize", "more than a quarter of ReceiveWindow (256)"),
        ["StateDirectory empty"] = (o => o.StateDirectory = string.Empty, "StateDirectory", "leave it null"),
        ["MaxDatagramSize too small"] = (o => o.MaxDatagramSize = 1023, "MaxDatagramSize", "use a value from 1,024 to 65,507"),
        ["MaxDatagramSize too large"] = (o => o.MaxDatagramSize = 65_508, "MaxDatagramSize", "use a value from 1,024 to 65,507"),
        ["MaxMessageSize zero"] = (o => o.MaxMessageSize = 0, "MaxMessageSize", "use a value from 1 byte to 64 MiB"),
        ["MaxMessageSize too large"] = (o => o.MaxMessageSize = (64 << 20) + 1, "MaxMessageSize", "use a value from 1 byte to 64 MiB"),
        ["WindowSize zero"] = (o => o.WindowSize = 0, "WindowSize", "use a value from 1 to 4,096"),
        ["WindowSize too large"] = (o => o.WindowSize = 4097, "WindowSize", "use a value from 1 to 4,096"),
        ["MaxPacketsPerVisit zero"] = (o => o.MaxPacketsPerVisit = 0, "MaxPacketsPerVisit", "use a value from 1 to WindowSize (64)"),
        ["MaxPacketsPerVisit above WindowSize"] = (o => o.MaxPacketsPerVisit = 65, "MaxPacketsPerVisit", "use a value from 1 to WindowSize (64)"),
        ["MaxRetransmitRequests zero"] = (o => o.MaxRetransmitRequests = 0, "MaxRetransmitRequests", "use a value from 1 to 1,024"),
        ["MaxRetransmitRequests too large"] = (o => o.MaxRetransmitRequests = 1025, "MaxRetransmitRequests", "use a value from 1 to 1,024"),
        ["ReceiveWindow not a power of two"] = (o => o.ReceiveWindow = 3000, "ReceiveWindow", "use a power of two of at least 4 x WindowSize (256)"),
        ["ReceiveWindow one below a power of two"] = (o => o.ReceiveWindow = 4095, "ReceiveWindow", "use a power of two"),
        ["ReceiveWindow below 4 x WindowSize"] = (o => o.ReceiveWindow = 128, "ReceiveWindow", "at least 4 x WindowSize (256)"),
        ["ReceiveWindow too large"] = (o => o.ReceiveWindow = 2 << 20, "ReceiveWindow", "at most 1,048,576"),
        ["ReceiveWindow zero"] = (o => o.ReceiveWindow = 0, "ReceiveWindow", "use a power of two"),
        ["SendQueueCapacity zero"] = (o => o.SendQueueCapacity = 0, "SendQueueCapacity", "use at least 1 packet"),
        ["SocketBufferSize too small"] = (o => o.SocketBufferSize = (64 << 10) - 1, "SocketBufferSize", "use at least 64 KiB"),
        ["TokenLossTimeout too short"] = (o => o.TokenLossTimeout = TimeSpan.FromMilliseconds(9), "TokenLossTimeout", "use at least 10 ms"),
        ["TokenRetransmitTimeout too short"] = (o => o.TokenRetransmitTimeout = TimeSpan.FromMicroseconds(999), "TokenRetransmitTimeout", "use at least 1 ms"),
        ["TokenRetransmitTimeout above half TokenLossTimeout"] = (o => o.TokenRetransmitTimeout = TimeSpan.FromMilliseconds(501), "TokenRetransmitTimeout", "use at most half of TokenLossTimeout (1000 ms)"),
        ["TokenHoldTimeout zero"] = (o => o.TokenHoldTimeout = TimeSpan.Zero, "TokenHoldTimeout", "use more than 0 and less than TokenLossTimeout - TokenRetransmitTimeout (900 ms)"),
        ["TokenHoldTimeout negative"] = (o => o.TokenHoldTimeout = TimeSpan.FromMilliseconds(-1), "TokenHoldTimeout", "less than TokenLossTimeout - TokenRetransmitTimeout"),
        ["TokenHoldTimeout too long"] = (o => o.TokenHoldTimeout = TimeSpan.FromMilliseconds(900), "TokenHoldTimeout", "less than TokenLossTimeout - TokenRetransmitTimeout (900 ms)"),
        ["ClusterKey too short"] = (o => o.ClusterKey = [.. Enumerable.Range(1, 15).Select(i => (byte)i)], "ClusterKey", "use 16 to 1,024 random bytes"),
        ["ClusterKey empty"] = (o => o.ClusterKey = [], "ClusterKey", "or null for no key"),
        ["ClusterKey too long"] = (o => o.ClusterKey = [.. Enumerable.Range(0, 1025).Select(i => (byte)i)], "ClusterKey", "use 16 to 1,024 random bytes"),
        ["ClusterKey all zeros"] = (o => o.ClusterKey = new byte[32], "ClusterKey", "that is a placeholder, not a secret"),
        ["ClusterKeyMode unknown"] = (o => o.ClusterKeyMode = (ClusterKeyMode)7, "ClusterKeyMode", "use ClusterKeyMode.AesGcm, AesGmac or HmacSha256"),
        ["MaxMessageSize over a quarter of the receive window once the key trailer is counted"] = (o => { o.MaxDatagramSize = 1160; o.ReceiveWindow = 4096; o.ClusterKey = Key16; }, "MaxMessageSize", "more than a quarter of ReceiveWindow (4096)"),
    };

    private static readonly byte[] Key16 = [.. Enumerable.Range(1, 16).Select(i => (byte)i)];

    public static TheoryData<string> RuleNames => [.. Rules.Keys];

    [Fact]
    public void Validate_ClusterKeyOfSixteenBytesAndEveryMode_Passes()
    {
        foreach (var mode in Enum.GetValues<ClusterKeyMode>())
        {
            var options = ValidOptions();
            options.ClusterKey = Key16;
            options.ClusterKeyMode = mode;

            options.Validate();
        }
    }

    [Fact]
    public void Validate_MessageThatFitsOnlyWithoutTheKeyTrailer_PassesWithoutKey()
    {
        var options = ValidOptions();
        options.MaxDatagramSize = 1160;

        options.Validate();
    }

    [Fact]
    public void Validate_DefaultsWithValidMembers_Passes()
    {
        var options = ValidOptions();

        options.Validate();

        Assert.Equal(65_000, options.MaxDatagramSize);
    }

    [Fact]
    public void Validate_NoSeeds_Passes()
    {
        var options = new RingOptions { ListenEndPoint = Self };

        options.Validate();
    }

    [Theory]
    [InlineData(RingPreset.Lan)]
    [InlineData(RingPreset.Vital)]
    public void ApplyPreset_EveryPreset_Validates(RingPreset preset)
    {
        var options = ValidOptions().ApplyPreset(preset);

        options.Validate();

        Assert.Equal(preset == RingPreset.Vital ? TimeSpan.FromMilliseconds(100) : TimeSpan.FromSeconds(1), options.TokenLossTimeout);
    }

    [Fact]
    public void Validate_ValuesAtEveryBound_Pass()
    {
        var low = ValidOptions();
        low.MaxDatagramSize = 1024;
        low.MaxMessageSize = 1;
        low.WindowSize = 1;
        low.MaxPacketsPerVisit = 1;
        low.MaxRetransmitRequests = 1;
        low.ReceiveWindow = 4;
        low.SendQueueCapacity = 1;
        low.SocketBufferSize = 64 << 10;
        low.TokenLossTimeout = TimeSpan.FromMilliseconds(10);
        low.TokenRetransmitTimeout = TimeSpan.FromMilliseconds(1);
        low.TokenHoldTimeout = TimeSpan.FromTicks(1);
        low.Validate();

        var high = ValidOptions();
        high.MaxDatagramSize = 65_507;
        high.MaxMessageSize = 64 << 20;
        high.WindowSize = 4096;
        high.MaxPacketsPerVisit = 4096;
        high.MaxRetransmitRequests = 1024;
        high.ReceiveWindow = 1 << 20;
        high.TokenRetransmitTimeout = TimeSpan.FromMilliseconds(500);
        high.TokenHoldTimeout = TimeSpan.FromMilliseconds(499);
        high.Name = "Orders_v2.eu-west." + new string('r', 46);
        high.Validate();
    }

    [Theory]
    [MemberData(nameof(RuleNames))]
    public void Validate_RuleBroken_ThrowsNamingTheSettingAndTheFix(string rule)
    {
        var (breakRule, setting, fix) = Rules[rule];
        var options = ValidOptions();
        breakRule(options);

        var exception = Assert.Throws<RingConfigurationException>(options.Validate);

        Assert.Equal(setting, exception.Setting);
        Assert.StartsWith($"Ring setting {setting} ", exception.Message, StringComparison.Ordinal);
        Assert.Contains(fix, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_NumericRuleBroken_MessageGivesTheWrongValue()
    {
        var options = ValidOptions();
        options.WindowSize = 5000;

        var exception = Assert.Throws<RingConfigurationException>(options.Validate);

        Assert.Contains("is 5000", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_WildcardListenEndPoint_MessageGivesTheEndPoint()
    {
        var options = ValidOptions();
        options.ListenEndPoint = new IPEndPoint(IPAddress.Any, 4803);

        var exception = Assert.Throws<RingConfigurationException>(options.Validate);

        Assert.Contains("0.0.0.0:4803", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RingConfigurationException_MessageConstructors_HaveEmptySetting()
    {
        Assert.Equal(string.Empty, new RingConfigurationException().Setting);
        Assert.Equal(string.Empty, new RingConfigurationException("m").Setting);
        Assert.Equal(string.Empty, new RingConfigurationException("m", new InvalidOperationException()).Setting);
        Assert.Equal("Ring setting X is 3: do y.", new RingConfigurationException("X", "is 3", "do y").Message);
    }

    private static RingOptions ValidOptions()
    {
        var options = new RingOptions { ListenEndPoint = Self };
        options.Seeds.Add(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 4804));
        options.Seeds.Add(new IPEndPoint(IPAddress.Loopback, 4803));
        options.Seeds.Add(new IPEndPoint(IPAddress.Parse("127.0.0.1"), 4805));
        return options;
    }
}
