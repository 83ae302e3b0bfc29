using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation.Tests;

public class ScenarioTests
{
    [Fact]
    public void Lossless_ThreeNodes_DeliversEverythingEverywhere()
    {
        var scenario = Scenario.FromSeed(42, FaultMode.None) with { NodeCount = 3, MessageCount = 300 };

        var result = new SimulationRun(scenario).Execute();

        AssertPassed(result);
        Assert.Equal(300 * 3, result.Deliveries);
        Assert.Equal(0, result.Network.Lost + result.Network.Clogged + result.Network.Duplicated);
        Assert.InRange(result.ConvergedMicros, 0, scenario.SafetyMicros);
    }

    [Fact]
    public void ThirtyPercentLoss_StillConverges()
    {
        var scenario = Scenario.FromSeed(7, FaultMode.Network) with { NodeCount = 5, LossRate = 0.30, DuplicationRate = 0.05, MessageCount = 400 };

        var result = new SimulationRun(scenario).Execute();

        AssertPassed(result);
        Assert.Equal(400 * 5, result.Deliveries);
        Assert.True(result.Network.Lost > 0, "the network should have lost datagrams");
        Assert.True(result.PacketRetransmits > 0 && result.TokenRetransmits > 0, "losses should be repaired by retransmission");
    }

    [Fact]
    public void LargeMessages_AreFragmentedAndDeliveredIntact()
    {
        var scenario = Scenario.FromSeed(3, FaultMode.Network) with
        {
            NodeCount = 4,
            Settings = new TotemSettings { MaxDatagramSize = 1400, MaxMessageSize = Scenario.MaxMessageSize, WindowSize = 32, MaxPacketsPerVisit = 8, ReceiveWindow = 256 },
            MessageCount = 40,
            LargeFraction = 1.0,
            LossRate = 0.1,
        };

        var result = new SimulationRun(scenario).Execute();

        // The payload checker compares every delivered byte with what was submitted.
        AssertPassed(result);
        Assert.Equal(40 * 4, result.Deliveries);
        Assert.True(result.LargestDelivered > 10 * 1400, $"largest delivered {result.LargestDelivered}B should span many datagrams");
    }

    [Fact]
    public void LinkClogs_DropEverythingForAWhile_RingRecovers()
    {
        var scenario = Scenario.FromSeed(11, FaultMode.Network) with
        {
            NodeCount = 3,
            LossRate = 0,
            Clogs = [new LinkClog(0, 1, 100_000, 600_000, Drops: true, 0), new LinkClog(1, 2, 300_000, 900_000, Drops: false, 200_000)],
        };

        var result = new SimulationRun(scenario).Execute();

        AssertPassed(result);
        Assert.True(result.Network.Clogged > 0);
    }

    [Fact]
    public void TinyWindows_HeavyLoss_StillConverges()
    {
        var network = Scenario.FromSeed(21, FaultMode.Network);
        int largest = Scenario.LargestMessageFor(network.Settings.MaxDatagramSize, 16);
        var scenario = network with
        {
            NodeCount = 7,
            Settings = network.Settings with { WindowSize = 4, MaxPacketsPerVisit = 1, ReceiveWindow = 16, MaxMessageSize = largest },
            MessageSizeCap = largest,
            MessageCount = 300,
            LargeFraction = 0.2,
            LossRate = 0.3,
        };

        var result = new SimulationRun(scenario).Execute();

        AssertPassed(result);
        Assert.Equal(300 * 7, result.Deliveries);
    }

    [Fact]
    public void TokenRetransmitShorterThanDelay_DuplicateTokensAreHarmless()
    {
        var scenario = Scenario.FromSeed(8, FaultMode.Network) with
        {
            Settings = Scenario.FromSeed(8, FaultMode.Network).Settings with { TokenRetransmitMicros = 1000 },
            BaseDelayMicros = 2000,
            JitterMicros = 4000,
        };

        var result = new SimulationRun(scenario).Execute();

        AssertPassed(result);
        Assert.True(result.TokenRetransmits > 100, $"only {result.TokenRetransmits} token retransmissions");
    }

    [Fact]
    public void SameSeed_ReplaysExactly()
    {
        var first = new SimulationRun(Scenario.FromSeed(1234)).Execute();
        var second = new SimulationRun(Scenario.FromSeed(1234)).Execute();

        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.Steps, second.Steps);
        Assert.Equal(first.EndMicros, second.EndMicros);
        Assert.Equal(first.Network.ToString(), second.Network.ToString());
    }

    [Fact]
    public void Trace_WritesEveryKindOfEvent()
    {
        using var writer = new StringWriter();
        var result = new SimulationRun(Scenario.FromSeed(5) with { MessageCount = 20 }, new TraceLog(writer)).Execute();

        AssertPassed(result);
        string trace = writer.ToString();
        Assert.Contains(" token #", trace, StringComparison.Ordinal);
        Assert.Contains(" data seq ", trace, StringComparison.Ordinal);
        Assert.Contains(" deliver ", trace, StringComparison.Ordinal);
        Assert.Contains(" submit ", trace, StringComparison.Ordinal);
    }

    [Fact]
    public void FromSeed_CoversTheKnobRanges()
    {
        var scenarios = Enumerable.Range(1, 500).Select(seed => Scenario.FromSeed(seed)).ToArray();

        Assert.Equal(2, scenarios.Min(s => s.NodeCount));
        Assert.Equal(7, scenarios.Max(s => s.NodeCount));
        Assert.Contains(scenarios, s => s.LossRate == 0);
        Assert.Contains(scenarios, s => s.LossRate > 0.25);
        Assert.Contains(scenarios, s => s.Clogs.Count > 0);
        Assert.All(scenarios, s => Assert.InRange(s.Settings.MaxDatagramSize, 1400, 8000));
        Assert.All(scenarios, s => Assert.True(s.Settings.ReceiveWindow >= 4 * s.Settings.WindowSize));
    }

    private static void AssertPassed(SimulationResult result) =>
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Violations.Select(v => v.ToString()).Prepend(result.ToString())));
}
