using System.Diagnostics;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// Notices a running member that got nothing for a while although lines are missing at it (other
/// members have lines it lacks, or lines were posted and ordered that no member has), and renews
/// its subscription (from the last line it applied, so it misses nothing; a line that comes twice
/// is ignored): a safety net. Orleans' explicit subscriptions rest on the pub-sub grain and its
/// store, which a killed silo can take with it when that store is Orleans' memory storage (see
/// Hosts.AddPubSubStore); the members already renew a subscription they find gone, and this
/// covers one that exists but is not served. The demo says so when it happens, and
/// the summary counts the renewals.
/// </summary>
internal sealed class StallWatch(Func<string, Task> resubscribe)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, (int Lines, TimeSpan Since)> _seen = new(StringComparer.Ordinal);

    /// <summary>Renews the subscriptions of stalled members; <paramref name="expectedLines"/> is how many lines were posted (and ordered) so far.</summary>
    public async Task CheckAsync(IReadOnlyList<MemberSnapshot> members, int expectedLines)
    {
        var tokens = members.SelectMany(m => m.Report.Lines).Select(l => l.Token).Distinct().ToList();
        var newest = tokens.Count == 0 ? null : tokens.Max();
        foreach (var member in members.Where(m => m.Alive && m.OnStream))
        {
            var lines = member.Report.Lines;
            if (!_seen.TryGetValue(member.Label, out var seen) || seen.Lines != lines.Count)
            {
                _seen[member.Label] = (lines.Count, _clock.Elapsed);
                continue;
            }

            bool behindOthers = newest is not null && (lines.Count == 0 || lines[^1].Token.CompareTo(newest) < 0);
            bool nobodyHasThem = tokens.Count < expectedLines;
            if ((behindOthers || nobodyHasThem) && _clock.Elapsed - seen.Since > Stall)
            {
                string why = behindOthers ? "while others have lines it lacks" : $"while {expectedLines - tokens.Count} ordered line(s) reached no member";
                Console.WriteLine($"  ({member.Label} got nothing for {Stall.TotalSeconds:0} s {why}: renewing its subscription from its last line)");
                await resubscribe(member.Label);
                _seen[member.Label] = (lines.Count, _clock.Elapsed);
            }
        }
    }
}
