using System.Text;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// Seed sweeps: 1000 seeds of network faults on a static ring, 1000 seeds of every fault
/// (membership too), 100 without faults. Half of the network and all-fault chunks also run the
/// group workload under the group checkers (it costs about 40 % more time per seed; the command
/// line runs it on every seed). Each chunk prints its failing seeds and replay commands.
/// </summary>
public class SeedSweepTests
{
    private const int ChunkSize = 250;

    public static TheoryData<int, bool> Chunks => new() { { 1, true }, { 251, false }, { 501, true }, { 751, false } };

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Seeds_UnderNetworkFaults_NoViolations(int start, bool groups) => AssertNoViolations(start, ChunkSize, FaultMode.Network, groups);

    [Theory]
    [MemberData(nameof(Chunks))]
    public void Seeds_UnderAllFaults_NoViolations(int start, bool groups) => AssertNoViolations(start, ChunkSize, FaultMode.All, groups);

    [Fact]
    public void Seeds_WithoutFaults_NoViolations() => AssertNoViolations(10_001, 100, FaultMode.None, groups: false);

    private static void AssertNoViolations(int start, int count, FaultMode faults, bool groups)
    {
        var sweep = SeedSweep.Run(start, count, faults, groups: groups);

        Assert.True(sweep.Failures.Count == 0, Describe(sweep, faults, groups));
    }

    private static string Describe(SweepResult sweep, FaultMode faults, bool groups)
    {
        var text = new StringBuilder().AppendLine(sweep.Summary);
        foreach (var failure in sweep.Failures)
        {
            text.AppendLine(failure.Violations[0].ToString());
            text.AppendLine($"  replay: {SeedSweep.ReplayCommand(failure.Scenario.Seed, faults, groups)}");
        }

        return text.ToString();
    }
}
