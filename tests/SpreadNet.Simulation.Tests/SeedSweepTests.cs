using System.Text;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// Seed sweeps: 1000 seeds of network faults on a static ring, 1000 seeds of every fault
/// (membership too), 100 without faults. Each chunk prints its failing seeds and replay commands.
/// </summary>
public class SeedSweepTests
{
    private const int ChunkSize = 250;

    public static TheoryData<int> Chunks => new() { 1, 251, 501, 751 };

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Seeds_UnderNetworkFaults_NoViolations(int start) => AssertNoViolations(start, ChunkSize, FaultMode.Network);

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Seeds_UnderAllFaults_NoViolations(int start) => AssertNoViolations(start, ChunkSize, FaultMode.All);

    [Fact]
    public void Seeds_WithoutFaults_NoViolations() => AssertNoViolations(10_001, 100, FaultMode.None);

    private static void AssertNoViolations(int start, int count, FaultMode faults)
    {
        var sweep = SeedSweep.Run(start, count, faults);

        Assert.True(sweep.Failures.Count == 0, Describe(sweep, faults));
    }

    private static string Describe(SweepResult sweep, FaultMode faults)
    {
        var text = new StringBuilder().AppendLine(sweep.Summary);
        foreach (var failure in sweep.Failures)
        {
            text.AppendLine(failure.Violations[0].ToString());
            text.AppendLine($"  replay: {SeedSweep.ReplayCommand(failure.Scenario.Seed, faults)}");
        }

        return text.ToString();
    }
}
