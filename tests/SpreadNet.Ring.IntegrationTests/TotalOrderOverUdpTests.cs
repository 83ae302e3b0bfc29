using SpreadNet.Ring;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>Three nodes on 127.0.0.1, concurrent senders on every node, one total order everywhere.</summary>
public sealed class TotalOrderOverUdpTests
{
    private const int NodeCount = 3;
    private const int TotalMessages = 100_000;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    [Fact]
    public Task ConcurrentSenders_Agreed_AllNodesDeliverIdenticalOrder() =>
        RunAsync(counter => ServiceType.Agreed, size: 64);

    [Fact]
    public Task ConcurrentSenders_Safe_AllNodesDeliverIdenticalOrder() =>
        RunAsync(counter => ServiceType.Safe, size: 64);

    [Fact]
    public Task ConcurrentSenders_MixedServicesAndFragmentedMessages_AllNodesDeliverIdenticalOrder() =>
        RunAsync(counter => counter % 3 == 0 ? ServiceType.Safe : ServiceType.Agreed, size: 64, largeEvery: 5_000);

    private static async Task RunAsync(Func<int, ServiceType> serviceOf, int size, int largeEvery = 0)
    {
        await using var ring = await LoopbackRing.StartAsync(NodeCount, TotalMessages);
        int perSender = TotalMessages / NodeCount;
        int total = perSender * NodeCount;
        var senders = ring.Nodes.Select((node, sender) => Task.Run(async () =>
        {
            for (int counter = 0; counter < perSender; counter++)
            {
                var service = serviceOf(counter);
                int length = largeEvery > 0 && counter % largeEvery == 1 ? 200_000 : size;
                await node.SubmitAsync(DeliveryRecorder.Payload(sender, counter, service, length), service);
            }
        }));
        await Task.WhenAll(senders);
        await ring.WaitForDeliveriesAsync(total, Timeout);

        var reference = ring.Recorders[0].Identities.ToArray();
        Assert.Equal(total, reference.Length);
        for (int node = 1; node < NodeCount; node++)
        {
            var other = ring.Recorders[node].Identities;
            Assert.Equal(total, other.Length);
            int firstDifference = reference.AsSpan().CommonPrefixLength(other);
            Assert.True(firstDifference == total, $"Node {node} differs from node 0 at position {firstDifference}.");
        }

        AssertEachSenderInOrderWithoutGaps(reference, perSender, serviceOf);
    }

    private static void AssertEachSenderInOrderWithoutGaps(long[] order, int perSender, Func<int, ServiceType> serviceOf)
    {
        var next = new int[NodeCount];
        foreach (long identity in order)
        {
            var (sender, counter, service) = DeliveryRecorder.Decode(identity);
            Assert.Equal(next[sender], counter);
            Assert.Equal(serviceOf(counter), service);
            next[sender]++;
        }

        Assert.All(next, n => Assert.Equal(perSender, n));
    }
}
