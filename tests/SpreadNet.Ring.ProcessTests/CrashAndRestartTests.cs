namespace SpreadNet.Ring.ProcessTests;

/// <summary>Five ring-node processes on 127.0.0.1: one is killed with SIGKILL under load and restarted.</summary>
public sealed class CrashAndRestartTests
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FiveProcesses_OneKilledUnderLoadThenRestarted_ExtendedVirtualSynchronyHolds()
    {
        using var ring = new ProcessRing(SpreadNet.Testing.LoopbackPorts.Free(5), rate: 200);
        int[] all = [0, 1, 2, 3, 4];
        ring.StartAll();
        await ring.WaitForRingAsync(all, FormTimeout);
        await Task.Delay(1500);

        ring.Kill(2);
        await ring.WaitForRingAsync([0, 1, 3, 4], FormTimeout);
        await Task.Delay(1000);

        ring.Start(2);
        await ring.WaitForRingAsync(all, FormTimeout);
        await Task.Delay(1500);
        await ring.StopAllAsync();

        ProcessLogVerifier.Verify(ring);
    }
}
