using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.MembershipService.SiloMetadata;
using SpreadNet.Ring;
using SpreadNet.Ring.Wire;
using SpreadNet.RingSilo.Hosting;
using SpreadNet.RingSilo.Peers;

namespace SpreadNet.RingSilo.Tests;

/// <summary>Options, endpoints, advertisements and registration, without a cluster.</summary>
public sealed class RingSiloConfigurationTests
{
    private static readonly IPEndPoint Silo = new(IPAddress.Parse("10.0.0.5"), 11111);

    [Fact]
    public void SpreadRingOptions_Defaults_AreTheRingDefaults()
    {
        var hosted = new SpreadRingOptions().ToRingOptions("main", new IPEndPoint(IPAddress.Loopback, 4803));
        var plain = new RingOptions();

        foreach (var property in typeof(RingOptions).GetProperties().Where(p => p.CanWrite && p.Name is not (nameof(RingOptions.Name) or nameof(RingOptions.ListenEndPoint))))
        {
            Assert.True(Equals(property.GetValue(plain), property.GetValue(hosted)), $"{property.Name}: {property.GetValue(plain)} vs {property.GetValue(hosted)}");
        }
    }

    [Fact]
    public void SpreadRingOptions_PresetThenOneTimeout_OverridesOnlyThatTimeout()
    {
        var options = new SpreadRingOptions { Preset = RingPreset.Vital, ConsensusTimeout = TimeSpan.FromMilliseconds(500) }
            .ToRingOptions("vital", new IPEndPoint(IPAddress.Loopback, 4803));

        Assert.Equal(TimeSpan.FromMilliseconds(100), options.TokenLossTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ConsensusTimeout);
    }

    [Theory]
    [InlineData(0, null, 12111)]
    [InlineData(1, null, 12211)]
    [InlineData(1, 4803, 4803)]
    [InlineData(0, 0, 0)]
    public void Resolve_Port_DefaultIsSiloPortPlus1000Plus100PerRing(int index, int? port, int expected)
    {
        var endPoint = RingEndPointRule.Resolve("main", index, new SpreadRingOptions { Port = port }, Silo);

        Assert.Equal(new IPEndPoint(Silo.Address, expected), endPoint);
    }

    [Fact]
    public void Resolve_DefaultPortAbove65535_NamesTheRingTheRuleAndTheFix()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() =>
            RingEndPointRule.Resolve("bulk", 2, new SpreadRingOptions(), new IPEndPoint(Silo.Address, 65_000)));

        Assert.Contains("Spread ring 'bulk': setting Port is not set, and its default (silo port 65000 + 1000 + 100 x ring index 2) is 66200", error.Message, StringComparison.Ordinal);
        Assert.Contains("set Port to a free UDP port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_SiloAdvertisesIPv6_AsksForAnIPv4ListenAddress()
    {
        var error = Assert.Throws<OrleansConfigurationException>(() =>
            RingEndPointRule.Resolve("main", 0, new SpreadRingOptions(), new IPEndPoint(IPAddress.IPv6Loopback, 11111)));

        Assert.Contains("setting ListenAddress is not set and the silo's advertised address is ::1", error.Message, StringComparison.Ordinal);
        Assert.Contains("set ListenAddress to this silo's concrete IPv4 address", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RingAdvertisement_FormatThenParse_RoundTrips()
    {
        var options = new SpreadRingOptions { Preset = RingPreset.Vital, MaxDatagramSize = 1400 }.ToRingOptions("v", new IPEndPoint(IPAddress.Loopback, 4803));
        var advertisement = new RingAdvertisement(options.ListenEndPoint!, RingAdvertisement.SettingsOf(options));

        string text = advertisement.Format();

        Assert.True(RingAdvertisement.TryParse(text, out var parsed));
        Assert.Equal(advertisement, parsed);
        Assert.Equal(1 << 20, parsed.Settings.MaxMessageSize);
        Assert.StartsWith("1;127.0.0.1:4803;", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2;127.0.0.1:4803;AAAA")]
    [InlineData("1;not-an-endpoint;AAAA")]
    [InlineData("1;127.0.0.1:0;AAAA")]
    [InlineData("1;127.0.0.1:4803;AAAA")]
    [InlineData("1;127.0.0.1:4803;!!!")]
    public void RingAdvertisement_Unreadable_IsRejected(string? text)
    {
        Assert.False(RingAdvertisement.TryParse(text, out _));
    }

    [Fact]
    public void RingAdvertisement_DifferentPreset_FirstDifferenceNamesTheSettingAndBothValues()
    {
        var lan = RingAdvertisement.SettingsOf(new SpreadRingOptions().ToRingOptions("r", new IPEndPoint(IPAddress.Loopback, 1)));
        var vital = RingAdvertisement.SettingsOf(new SpreadRingOptions { Preset = RingPreset.Vital }.ToRingOptions("r", new IPEndPoint(IPAddress.Loopback, 1)));

        var difference = lan.FirstDifference(vital);

        Assert.Equal(new SettingDifference("TokenLossTimeout", "1000 ms", "100 ms", "set TokenLossTimeout to the same value on every node of the ring (or use the same preset everywhere)"), difference);
    }

    [Fact]
    public void AddSpreadRing_SameNameTwice_Throws()
    {
        var silo = new TestSiloBuilder();
        silo.AddSpreadRing("main");

        var error = Assert.Throws<ArgumentException>(() => silo.AddSpreadRing("main"));

        Assert.Contains("already added", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    public void AddSpreadRing_InvalidName_Throws(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => new TestSiloBuilder().AddSpreadRing(name));

        Assert.Contains("cannot name a Spread ring", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSpreadRing_SeveralRingsAfterUseSiloMetadata_RegistersTheMetadataServicesOnceAndAdvertisesEveryRing()
    {
        var silo = new TestSiloBuilder();
        silo.UseSiloMetadata(new Dictionary<string, string> { ["zone"] = "a" });
        silo.AddSpreadRing("vital", o => o.Port = 5000).AddSpreadRing("bulk", o => o.Port = 5001);
        silo.Services.AddSingleton<ILocalSiloDetails>(new FixedSiloDetails());
        using var services = silo.Services.BuildServiceProvider();

        var metadata = services.GetRequiredService<IOptions<SiloMetadata>>().Value.Metadata;

        Assert.Single(silo.Services, d => d.ServiceType == typeof(ISiloMetadataCache));
        Assert.Equal("a", metadata["zone"]);
        Assert.Equal("vital,bulk", metadata[RingAdvertisement.RingsKey]);
        Assert.True(RingAdvertisement.TryParse(metadata["spreadnet.ring.bulk"], out var bulk));
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 5001), bulk.EndPoint);
    }

    private sealed class TestSiloBuilder : ISiloBuilder
    {
        public IServiceCollection Services { get; } = new ServiceCollection();

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }

    private sealed class FixedSiloDetails : ILocalSiloDetails
    {
        public string Name => "Silo_0";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress { get; } = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

        public SiloAddress GatewayAddress => SiloAddress;
    }
}
