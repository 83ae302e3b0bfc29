using SpreadNet.Ring;

namespace SpreadNet.Simulation;

/// <summary>The messages a run submits, drawn from the seed: who sends, when, how big, which service.</summary>
public sealed class Workload
{
    private readonly Submission[][] _byNode;
    private readonly int[] _regularCounts;

    private Workload(Submission[] all, Submission[] probes, Submission[][] byNode, int[] regularCounts)
    {
        All = all;
        Probes = probes;
        _byNode = byNode;
        _regularCounts = regularCounts;
    }

    /// <summary>Every submission in time order (probes apart).</summary>
    public IReadOnlyList<Submission> All { get; }

    /// <summary>
    /// The liveness probes (<see cref="Scenario.ProbesPerNode"/> per node, numbered after the
    /// node's other messages), submitted by the live nodes once they form one ring; their time is unused.
    /// </summary>
    public IReadOnlyList<Submission> Probes { get; }

    /// <summary>Messages submitted in total.</summary>
    public int Count => All.Count;

    /// <summary>Whether <paramref name="id"/> names a liveness probe.</summary>
    public bool IsProbe(MessageId id) =>
        (uint)id.Node < (uint)_byNode.Length && id.Counter >= _regularCounts[id.Node] && id.Counter < _byNode[id.Node].Length;

    /// <summary>The submission <paramref name="id"/>, if the workload has it.</summary>
    public bool TryGet(MessageId id, out Submission submission)
    {
        if ((uint)id.Node < (uint)_byNode.Length && (uint)id.Counter < (uint)_byNode[id.Node].Length)
        {
            submission = _byNode[id.Node][id.Counter];
            return true;
        }

        submission = default;
        return false;
    }

    /// <summary>Draws the workload of <paramref name="scenario"/>.</summary>
    public static Workload Create(Scenario scenario)
    {
        var random = RandomStreams.Create(scenario.Seed, RandomStreams.Workload);
        long end = Math.Clamp(scenario.SubmitSpanMicros, 1, scenario.SafetyMicros);
        var bursts = new long[1 + (scenario.MessageCount / 150)];
        for (int i = 0; i < bursts.Length; i++)
        {
            bursts[i] = random.NextInt64(0, end);
        }

        int datagram = scenario.Settings.MaxDatagramSize;
        var drafts = new (long Time, int Node, int Size, ServiceType Service)[scenario.MessageCount];
        for (int i = 0; i < drafts.Length; i++)
        {
            long time = random.Chance(scenario.BurstFraction)
                ? Math.Min(end, bursts[random.Next(bursts.Length)] + random.Next(0, 5000))
                : random.NextInt64(0, end);
            double kind = random.NextDouble();
            int size = kind < scenario.LargeFraction
                ? random.Next(datagram + 1, Scenario.MaxMessageSize + 1)
                : kind < scenario.LargeFraction + scenario.MediumFraction
                    ? random.Next(256, datagram + 1)
                    : random.Next(MessagePayload.HeaderSize, 257);
            var service = random.Chance(scenario.SafeFraction) ? ServiceType.Safe : ServiceType.Agreed;
            drafts[i] = (time, random.Next(scenario.TotalNodes), Math.Min(size, scenario.MessageSizeCap), service);
        }

        // Stable by time, then by draw order: counters follow submission order at each node.
        var ordered = drafts.Select((d, i) => (d, i)).OrderBy(x => x.d.Time).ThenBy(x => x.i).Select(x => x.d);
        var counters = new int[scenario.TotalNodes];
        var all = ordered.Select(d => new Submission(d.Time, new MessageId(d.Node, counters[d.Node]++), d.Size, d.Service)).ToArray();
        int[] regularCounts = [.. counters];
        var probes = new List<Submission>();
        for (int node = 0; node < scenario.TotalNodes; node++)
        {
            for (int i = 0; i < scenario.ProbesPerNode; i++)
            {
                var service = random.Chance(scenario.SafeFraction) ? ServiceType.Safe : ServiceType.Agreed;
                probes.Add(new Submission(0, new MessageId(node, counters[node]++), random.Next(MessagePayload.HeaderSize, 1025), service));
            }
        }

        var byNode = new Submission[scenario.TotalNodes][];
        for (int node = 0; node < byNode.Length; node++)
        {
            byNode[node] = all.Concat(probes).Where(s => s.Id.Node == node).ToArray();
        }

        return new Workload(all, [.. probes], byNode, regularCounts);
    }
}
