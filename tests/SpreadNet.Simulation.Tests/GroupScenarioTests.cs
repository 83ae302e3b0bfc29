using SpreadNet.Simulation.Groups;

namespace SpreadNet.Simulation.Tests;

/// <summary>
/// The group workload on simulated nodes: sessions joining, leaving, multicasting and ending under
/// the group checkers, with and without faults, and the seeds that found the group layer's bugs.
/// </summary>
public class GroupScenarioTests
{
    [Fact]
    public void StaticRing_BusyGroupWorkload_EveryCheckerPasses()
    {
        var scenario = Scenario.FromSeed(31, FaultMode.None) with
        {
            NodeCount = 4,
            Groups = new GroupKnobs { GroupCount = 3, Actions = 400, InitialSessions = 2, MaxSessions = 4, RetainDepth = 8 },
        };

        var result = Run(scenario);

        var groups = result.Groups!;
        Assert.True(groups.Multicasts > 200 && groups.Deliveries > groups.Multicasts, groups.ToString());
        Assert.Equal(0, groups.TransitionalViews);
    }

    [Fact]
    public void GroupsOff_NoGroupLayer()
    {
        var result = Run(Scenario.FromSeed(31, FaultMode.Network, groups: false));

        Assert.Null(result.Groups);
    }

    /// <summary>
    /// Seeds where an exchange is cut short by another configuration change, after a merge (87, 180,
    /// 183) or with held joins of departed nodes (90). Before the fix, nodes moving on together
    /// applied held joins to the different states they came into the merge with (different views
    /// under one id), and departed nodes' joins put their members back into views.
    /// </summary>
    [Theory]
    [InlineData(87)]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(183)]
    public void ExchangeCutShort_SeedsThatFoundBugs_NoViolations(int seed)
    {
        var result = Run(Scenario.FromSeed(seed));

        Assert.True(result.Groups!.ExchangesCutShort > 0, $"seed {seed} no longer cuts an exchange short: pick another");
    }

    /// <summary>
    /// Seeds where a node delivers, after its transitional configuration, joins sent by nodes that did
    /// not move with it; before the fix they put those nodes' members back into views.
    /// </summary>
    [Theory]
    [InlineData(182)]
    [InlineData(195)]
    public void JoinsOfDepartedNodes_SeedsThatFoundBugs_NoViolations(int seed)
    {
        var result = Run(Scenario.FromSeed(seed));

        Assert.True(result.Groups!.TransitionalViews > 0, $"seed {seed} has no transitional view: pick another");
    }

    private static SimulationResult Run(Scenario scenario)
    {
        var result = new SimulationRun(scenario).Execute();
        Assert.True(result.Passed, string.Join(Environment.NewLine, result.Violations.Select(v => v.ToString()).Prepend(result.ToString())));
        return result;
    }
}
