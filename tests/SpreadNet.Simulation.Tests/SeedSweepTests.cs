using System.Text;

namespace SpreadNet.Simulation.Tests;

public class SeedSweepTests
{
    private const int ChunkSize = 250;

    public static TheoryData<int> Chunks => new() { 1, 251, 501, 751 };

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Seeds_UnderNetworkFaults_NoViolations(int start)
    {
        var sweep = SeedSweep.Run(start, ChunkSize, FaultMode.All);

        Assert.True(sweep.Failures.Count == 0, Describe(sweep, FaultMode.All));
    }

    [Fact]
    public void Seeds_WithoutFaults_NoViolations()
    {
        var sweep = SeedSweep.Run(10_001, 100, FaultMode.None);

        Assert.True(sweep.Failures.Count == 0, Describe(sweep, FaultMode.None));
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
