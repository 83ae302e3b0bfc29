using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Verification;

namespace SpreadNet.Ring.ProcessTests;

/// <summary>Feeds every process incarnation's delivery log to the extended-virtual-synchrony verifier.</summary>
internal static class ProcessLogVerifier
{
    public static void Verify(ProcessRing ring)
    {
        var logs = ring.Logs
            .Select(l => new NodeLog(
                new Incarnation(ring.IdOf(l.Node), l.Incarnation),
                Convert(NodeLogFile.Read(l.Path), killed: ring.Killed.Contains((l.Node, l.Incarnation)))))
            .ToList();
        foreach (var log in logs)
        {
            Assert.True(log.Entries.OfType<Delivered>().Any(), $"{log.Incarnation} delivered nothing.");
        }

        var violations = EvsVerifier.Check(logs);
        Assert.True(violations.Count == 0, $"{violations.Count} violation(s):\n{string.Join("\n", violations.Take(20))}\n{ring.History()}");
    }

    private static List<Verification.LogEntry> Convert(List<LogEntry> entries, bool killed)
    {
        var converted = new List<Verification.LogEntry>();
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case ConfigurationEntry c:
                    converted.Add(new Configuration(c.Kind == ConfigurationKind.Regular ? ConfigKind.Regular : ConfigKind.Transitional, c.Ring, c.PreviousRing, c.Members));
                    break;
                case DeliveryEntry d:
                    var key = new MessageKey(d.Sender, ((long)d.Incarnation << 40) | d.Counter);
                    converted.Add(new Delivered(key, d.Sender, d.Ring, d.Sequence, d.Index, d.Service == ServiceType.Safe));
                    break;
                default:
                    break;
            }
        }

        // Every run ends with each process killed or asked to leave.
        converted.Add(killed ? new Crashed() : new Left());
        return converted;
    }
}
