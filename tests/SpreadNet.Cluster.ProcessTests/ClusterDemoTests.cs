namespace SpreadNet.Cluster.ProcessTests;

/// <summary>The cluster demo (samples/ClusterDemo) end to end: in one process, and as separate silo and client processes.</summary>
public sealed class ClusterDemoTests
{
    /// <summary>How a silo process prints a group view caused by a ring change (transitional first, then regular).</summary>
    private const string NetworkView = "group view    Transitional Network";

    [Fact]
    public async Task InProcessDemo_KillsAndRestartsASilo_EndsWithPass()
    {
        var taken = new HashSet<int>();
        string[] ports =
        [
            "--silo-port", PortBlocks.Free(3, taken).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-port", PortBlocks.Free(3, taken).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ring-port", PortBlocks.Free(3, taken).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--group-ring-port", PortBlocks.Free(3, taken).ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        using var demo = ChildProcess.Demo("demo", ports);
        int exitCode = await demo.WaitForExitAsync(DemoCluster.Timeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}:\n{demo.Output}");
        Assert.Contains(DemoCluster.PassLine, demo.Output, StringComparison.Ordinal);
        Assert.Contains("killing silo2", demo.Output, StringComparison.Ordinal);
        Assert.Contains("silo2'", demo.Output, StringComparison.Ordinal);
        Assert.Contains("group view    Regular      Disconnect", demo.Output, StringComparison.Ordinal);
        Assert.Contains("group notice  dave is typing             from dave", demo.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeparateProcesses_DevelopmentClustering_SiloKilledAndRestarted_ClientSeesOneOrder()
    {
        await using var cluster = new DemoCluster(3);
        await cluster.StartSiloAsync(1);
        await Task.WhenAll(cluster.StartSiloAsync(2), cluster.StartSiloAsync(3));
        await cluster.Silo(1).WaitForOutputAsync("ring  3 member(s)", DemoCluster.Timeout);

        var first = await cluster.RunClientAsync();
        Assert.True(first.ExitCode == 0 && first.Output.Contains(DemoCluster.PassLine, StringComparison.Ordinal), $"first client run failed:\n{first.Output}\n{cluster.Outputs()}");
        Assert.Contains("members 3", first.Output, StringComparison.Ordinal);

        // A real crash: SIGKILL, no goodbye from the silo or its ring node.
        cluster.Silo(2).Kill();
        await cluster.Silo(1).WaitForOutputAsync("ring  2 member(s)", DemoCluster.Timeout);

        // The group grains' members on the survivors see silo 2's member go with the ring: reason Network.
        await cluster.Silo(1).WaitForOutputAsync(NetworkView, DemoCluster.Timeout);
        await cluster.Silo(3).WaitForOutputAsync(NetworkView, DemoCluster.Timeout);
        await cluster.StartSiloAsync(2);
        await cluster.Silo(1).WaitForOutputAsync("ring  3 member(s)", DemoCluster.Timeout, times: 2);

        var second = await cluster.RunClientAsync();
        Assert.True(second.ExitCode == 0 && second.Output.Contains(DemoCluster.PassLine, StringComparison.Ordinal), $"client run after the restart failed:\n{second.Output}\n{cluster.Outputs()}");
        Assert.Contains("Joined group \"chat-room\"", second.Output, StringComparison.Ordinal);
    }
}
