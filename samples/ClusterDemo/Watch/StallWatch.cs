using System.Diagnostics;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// Notices a running member that gets nothing while the others go on, and renews its subscription
/// (from the last line it applied, so it misses nothing): a safety net. Orleans' explicit
/// subscriptions rest on the pub-sub grain and its store, which a killed silo can take with it;
/// the members already renew a subscription they find gone, and this covers one that exists but
/// is not served. The demo says so when it happens, and the summary counts the renewals.
/// </summary>
internal sealed class StallWatch(Func<string, Task> resubscribe)
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<string, (int Lines, int Reference, TimeSpan Since)> _seen = new(StringComparer.Ordinal);

    public async Task CheckAsync(IReadOnlyList<MemberSnapshot> members)
    {
        var tokens = members.SelectMany(m => m.Report.Lines).Select(l => l.Token).Distinct().ToList();
        if (tokens.Count == 0)
        {
            return;
        }

        var newest = tokens.Max()!;
        foreach (var member in members.Where(m => m.Alive && m.OnStream))
        {
            var lines = member.Report.Lines;
            if (!_seen.TryGetValue(member.Label, out var seen) || seen.Lines != lines.Count)
            {
                _seen[member.Label] = (lines.Count, tokens.Count, _clock.Elapsed);
                continue;
            }

            bool behind = lines.Count == 0 || lines[^1].Token.CompareTo(newest) < 0;
            if (behind && tokens.Count > seen.Reference && _clock.Elapsed - seen.Since > Stall)
            {
                Console.WriteLine($"  ({member.Label} got nothing for {Stall.TotalSeconds:0} s while the others went on: renewing its subscription from its last line)");
                await resubscribe(member.Label);
                _seen[member.Label] = (lines.Count, tokens.Count, _clock.Elapsed);
            }
        }
    }
}
