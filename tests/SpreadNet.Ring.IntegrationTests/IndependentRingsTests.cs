using SpreadNet.Ring;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Two rings in one process, with different ports and tuning, share no state.</summary>
public sealed class IndependentRingsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task TwoRingsInOneProcess_DifferentSettings_DeliverOnlyTheirOwnTrafficAndOutliveEachOther()
    {
        const int perSender = 5_000;
        await using var vital = await LoopbackRing.StartAsync(3, 3 * perSender * 2, o =>
        {
            o.TokenLossTimeout = TimeSpan.FromMilliseconds(200);
            o.TokenRetransmitTimeout = TimeSpan.FromMilliseconds(20);
            o.TokenHoldTimeout = TimeSpan.FromMilliseconds(50);
            o.MaxDatagramSize = 1400;
        });
        var bulk = await LoopbackRing.StartAsync(2, 2 * perSender, o =>
        {
            o.TokenLossTimeout = TimeSpan.FromSeconds(2);
            o.ConsensusTimeout = TimeSpan.FromSeconds(2.5);
            o.TokenRetransmitTimeout = TimeSpan.FromMilliseconds(300);
            o.WindowSize = 256;
            o.MaxPacketsPerVisit = 64;
        });

        await Task.WhenAll(SendAll(vital, perSender, marker: 1), SendAll(bulk, perSender, marker: 2));
        await vital.WaitForDeliveriesAsync(3 * perSender, Timeout);
        await bulk.WaitForDeliveriesAsync(2 * perSender, Timeout);
        AssertOnlyMarker(vital, 1, 3 * perSender);
        AssertOnlyMarker(bulk, 2, 2 * perSender);

        // Stopping one ring leaves the other running.
        await bulk.DisposeAsync();
        await SendAll(vital, perSender, marker: 1);
        await vital.WaitForDeliveriesAsync(6 * perSender, Timeout);
        Assert.All(vital.Nodes, n => Assert.False(n.Completion.IsCompleted));
        Assert.All(bulk.Nodes, n => Assert.True(n.Completion.IsCompletedSuccessfully));
        Assert.NotEqual(0, vital.Nodes[0].Counters.PacketsSent);
    }

    private static Task SendAll(LoopbackRing ring, int perSender, int marker) =>
        Task.WhenAll(ring.Nodes.Select((node, i) => Task.Run(async () =>
        {
            for (int counter = 0; counter < perSender; counter++)
            {
                await node.SubmitAsync(DeliveryRecorder.Payload((marker * 16) + i, counter, ServiceType.Agreed, 32));
            }
        })));

    private static void AssertOnlyMarker(LoopbackRing ring, int marker, int count)
    {
        foreach (var recorder in ring.Recorders)
        {
            Assert.Equal(count, recorder.Count);
            foreach (long identity in recorder.Identities)
            {
                Assert.Equal(marker, DeliveryRecorder.Decode(identity).Sender / 16);
            }
        }
    }
}
