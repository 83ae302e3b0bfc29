using System.Globalization;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Transport;

/// <summary>
/// Turns datagrams dropped for authentication into ring events naming their source, so that a
/// node with another cluster key (or none) is reported instead of silently left out. Rate-limited:
/// at most one event per source and problem per interval; replays only once they are many, since
/// the network itself duplicates a datagram now and then. Bounded: sources beyond
/// <see cref="MaxSources"/> are forgotten. Not thread-safe: the event loop's.
/// </summary>
internal sealed class AuthenticationReporter(NodeId self, long intervalMicros = AuthenticationReporter.DefaultIntervalMicros)
{
    /// <summary>Ten seconds: a misconfigured node is named at once, then every ten seconds while it persists.</summary>
    public const long DefaultIntervalMicros = 10_000_000;

    /// <summary>Replays within one interval before they are reported.</summary>
    public const int ReplayThreshold = 32;

    private const int MaxSources = 256;

    private readonly Dictionary<(NodeId Source, AuthenticationProblem Problem), Tally> _tallies = [];

    /// <summary>Counts one dropped datagram; returns the event to raise, if one is due.</summary>
    public RingEvent? Record(AuthenticationProblem problem, NodeId source, long now)
    {
        var key = (source, problem);
        if (!_tallies.TryGetValue(key, out var tally))
        {
            if (_tallies.Count >= MaxSources)
            {
                _tallies.Clear();
            }

            tally = new Tally { IntervalStart = now };
            _tallies.Add(key, tally);
        }

        if (now - tally.IntervalStart >= intervalMicros)
        {
            tally.IntervalStart = now;
            tally.InInterval = 0;
            tally.Reported = false;
        }

        tally.InInterval++;
        tally.Total++;
        int threshold = problem == AuthenticationProblem.Replayed ? ReplayThreshold : 1;
        if (tally.Reported || tally.InInterval < threshold)
        {
            return null;
        }

        tally.Reported = true;
        return Describe(problem, source, tally.Total);
    }

    private RingEvent Describe(AuthenticationProblem problem, NodeId source, long total)
    {
        string node = source.ToEndPoint().ToString();
        string me = self.ToEndPoint().ToString();
        const string Fix = "Give every node of the ring the same ClusterKey and ClusterKeyMode (RingOptions); until then its packets are dropped and the two nodes never form a ring.";
        string message = problem switch
        {
            AuthenticationProblem.BadTag => string.Create(CultureInfo.InvariantCulture,
                $"Node {node} sends packets that fail authentication ({total} dropped so far): it most likely has a different ClusterKey, or ClusterKeyMode, than this node ({me}). {Fix}"),
            AuthenticationProblem.Unsealed => string.Create(CultureInfo.InvariantCulture,
                $"Node {node} sends packets without authentication ({total} dropped so far), but this node ({me}) has a ClusterKey: that node most likely has no ClusterKey. {Fix}"),
            AuthenticationProblem.SealedWithoutKey => string.Create(CultureInfo.InvariantCulture,
                $"Node {node} sends packets sealed with a ClusterKey ({total} dropped so far), but this node ({me}) has no ClusterKey. {Fix}"),
            _ => string.Create(CultureInfo.InvariantCulture,
                $"Node {node} sent at least {ReplayThreshold} authentic packets within {intervalMicros / 1_000_000.0} s whose packet counters it had already used ({total} dropped so far at {me}): someone is replaying its traffic, or that node restarted with its clock set back, and this node ({me}) will drop its packets until this node restarts. Check that node's clock."),
        };
        var kind = problem == AuthenticationProblem.Replayed ? RingEventKind.ReplayRejected : RingEventKind.AuthenticationFailed;
        return new RingEvent(kind, source, message);
    }

    private sealed class Tally
    {
        public long IntervalStart { get; set; }

        public long InInterval { get; set; }

        public long Total { get; set; }

        public bool Reported { get; set; }
    }
}
