namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Virtual synchrony per group: members that install the same view and then the same next view
/// (same id in the same configuration, see <see cref="ViewKey"/>; a member's self-leave counts as
/// the others' leave view) deliver the same messages of the group between the two, in the same order. Members whose next views differ (they end up in
/// different components, or one crashed or ended) delivered one a prefix of the other's: extended
/// virtual synchrony lets a partition cut the sequence short, never reorder or skip. Messages a
/// sender discarded for itself are left out of comparisons with that sender.
/// </summary>
internal sealed class GroupVirtualSynchronyCheck(GroupContext context) : GroupCheck(context)
{
    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        var groups = sessions.SelectMany(s => s.Items.Keys).Distinct(StringComparer.Ordinal).ToArray();
        foreach (string group in groups)
        {
            var byStart = new Dictionary<ViewKey, Segment>();
            var byStartAndNext = new Dictionary<(ViewKey, NextView), Segment>();
            foreach (var session in sessions.Where(s => s.Items.ContainsKey(group)))
            {
                foreach (var segment in Segments(session, session.Items[group], settled))
                {
                    if (!byStart.TryAdd(segment.Start, segment))
                    {
                        Compare(group, byStart[segment.Start], segment, exact: false);
                    }

                    if (segment.Next.IsKnown && !byStartAndNext.TryAdd((segment.Start, segment.Next), segment))
                    {
                        Compare(group, byStartAndNext[(segment.Start, segment.Next)], segment, exact: true);
                    }
                }
            }
        }
    }

    private static IEnumerable<Segment> Segments(SessionHistory session, List<GroupItem> items, bool settled)
    {
        for (int i = 0; i < items.Count; i++)
        {
            if (items[i].View is not { } start || items[i].SelfLeave)
            {
                continue;
            }

            var messages = new List<GroupMessageKey>();
            int j = i + 1;
            while (j < items.Count && items[j].View is null)
            {
                messages.Add(items[j].Message);
                j++;
            }

            // A running session at the end of a settled run has delivered everything: its last
            // view's sequence is complete, and equal to that of every other running member.
            var next = j < items.Count ? new NextView(items[j].View, false) : new NextView(null, settled && !session.Over);
            yield return new Segment(session.Key, start, messages, next);
        }
    }

    private void Compare(string group, Segment first, Segment second, bool exact)
    {
        var a = Filter(first.Messages, first.Session, second.Session);
        var b = Filter(second.Messages, first.Session, second.Session);
        int common = 0;
        while (common < a.Count && common < b.Count && a[common] == b[common])
        {
            common++;
        }

        bool fine = exact ? common == a.Count && common == b.Count : common == Math.Min(a.Count, b.Count);
        if (fine)
        {
            return;
        }

        string diverge = $"after {common} in common, {Describe(a, common)} vs {Describe(b, common)}";
        string what = exact ? $"both then installed {first.Next}" : $"then {first.Next} and {second.Next}";
        Context.Report(GroupProperty.VirtualSynchrony, $"{Context.Name(first.Session)} and {Context.Name(second.Session)} installed {first.Start} of {group}, {what}, but delivered {a.Count} and {b.Count} messages of it in that view: {diverge}");
    }

    private string Describe(List<GroupMessageKey> messages, int at) => at < messages.Count ? Context.Name(messages[at]) : "nothing more";

    private List<GroupMessageKey> Filter(List<GroupMessageKey> messages, SessionKey first, SessionKey second) =>
        messages.Where(m => !(Context.Sent.TryGetValue(m, out var sent) && sent.SelfDiscard && (m.Sender == first || m.Sender == second))).ToList();

    private sealed record Segment(SessionKey Session, ViewKey Start, List<GroupMessageKey> Messages, NextView Next);

    /// <summary>What ended a view's sequence at one member: the next view, the end of a settled run, or something unknown (a crash, the session's end).</summary>
    private readonly record struct NextView(ViewKey? View, bool EndOfRun)
    {
        public bool IsKnown => View is not null || EndOfRun;

        public override string ToString() => View is { } v ? v.ToString() : EndOfRun ? "nothing (the run ended)" : "nothing (crashed or ended)";
    }
}
