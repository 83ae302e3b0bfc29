using System.Net;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>Three ring-node processes in their own network namespaces: a real partition and its heal.</summary>
public sealed class PartitionTests
{
    private static readonly TimeSpan FormTimeout = TimeSpan.FromSeconds(30);

    [SkippableFact]
    public async Task ThreeHostsInNamespaces_OneCutOffThenHealed_SidesGoOnAndMergeUnderExtendedVirtualSynchrony()
    {
        string? unavailable = NetworkNamespaces.UnavailableReason();
        Skip.If(unavailable is not null, unavailable);

        using var network = new NetworkNamespaces(3);
        var endPoints = Enumerable.Range(0, 3).Select(k => new IPEndPoint(NetworkNamespaces.AddressOf(k), 4803)).ToArray();
        using var ring = new ProcessRing(endPoints, rate: 200, wrapperOf: network.Wrapper);
        ring.StartAll();
        await ring.WaitForRingAsync([0, 1, 2], FormTimeout);
        await Task.Delay(1000);

        network.SetLink(2, up: false);
        await ring.WaitForRingAsync([0, 1], FormTimeout);
        await ring.WaitForRingAsync([2], FormTimeout);
        await Task.Delay(1000);

        network.SetLink(2, up: true);
        await ring.WaitForRingAsync([0, 1, 2], FormTimeout);
        await Task.Delay(1000);
        await ring.StopAllAsync();

        ProcessLogVerifier.Verify(ring);
    }
}
