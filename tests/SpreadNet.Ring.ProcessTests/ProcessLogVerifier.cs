using SpreadNet.Ring;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>Checks the delivery logs of every process incarnation of a run.</summary>
internal static class ProcessLogVerifier
{
    public static void Verify(IReadOnlyList<(int Node, List<LogEntry> Entries)> logs, IReadOnlyCollection<int> crashedIncarnations)
    {
        _ = crashedIncarnations;
        var positions = new Dictionary<(RingId, long, int), (NodeId, ulong, long)>();
        foreach (var (node, entries) in logs)
        {
            var deliveries = entries.OfType<DeliveryEntry>().ToList();
            Assert.NotEmpty(deliveries);
            for (int i = 0; i < deliveries.Count; i++)
            {
                var d = deliveries[i];
                var identity = (d.Sender, d.Incarnation, d.Counter);
                if (positions.TryGetValue((d.Ring, d.Sequence, d.Index), out var other))
                {
                    Assert.True(other == identity, $"node {node}: position {d.Ring}/{d.Sequence}/{d.Index} holds another message elsewhere");
                }
                else
                {
                    positions[(d.Ring, d.Sequence, d.Index)] = identity;
                }
            }
        }
    }
}
