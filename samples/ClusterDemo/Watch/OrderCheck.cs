using System.Security.Cryptography;
using System.Text;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// The demo's verdict. Order: the lines of all members, by token, make one sequence in which every
/// token stands for one line; each member's lines are an unbroken stretch of it (from its first
/// line to its last, nothing missing, nothing extra), ending at the end for the members whose silo
/// still runs. Group (virtual synchrony): each member's group events (views and notices) are an
/// unbroken stretch of the longest member's events, with the same positions, kinds, reasons, members,
/// senders and notices, starting at the view its join made and, while it runs, ending at the end:
/// members that go through the same views see the same notices between them.
/// </summary>
internal static class OrderCheck
{
    public const string PassLine = "PASS: every member saw the same order and the same views, with the same notices between them";
    public const string FailLine = "FAIL: the members' orders, views or notices differ (see above)";

    /// <summary>
    /// Prints the per-member summary and, unless <paramref name="verdict"/> is false (a run that timed
    /// out prints what it has, and its own failure), the verdict; true when the records agree.
    /// </summary>
    public static bool Report(IReadOnlyList<MemberSnapshot> everyone, int expectedLines, int expectedNotices, bool verdict = true)
    {
        var problems = new List<string>();
        var members = everyone.Where(m => m.OnStream).ToList();
        var reference = ReferenceOrder(members, problems);
        var position = new Dictionary<SpreadSequenceToken, int>();
        for (int i = 0; i < reference.Count; i++)
        {
            position[reference[i].Token] = i;
        }

        Console.WriteLine();
        Console.WriteLine($"Chat lines in the ring's total order: {reference.Count} (posted: {expectedLines}), order digest {Digest(reference)}");
        Console.WriteLine($"  {"member",-8} {"lines",5}  {"positions",-11} {"repeats",7} {"renewed",7}  {"digest",-8}  same order");
        foreach (var member in members)
        {
            var lines = member.Report.Lines;
            if (lines.Count == 0)
            {
                Console.WriteLine($"  {member.Label,-8} {0,5}");
                continue;
            }

            int first = position[lines[0].Token];
            int last = position[lines[^1].Token];
            bool contiguous = last - first + 1 == lines.Count && lines.Select((l, i) => reference[first + i].Token.Equals(l.Token)).All(b => b);
            bool same = contiguous && Digest(lines) == Digest(reference.Skip(first).Take(lines.Count).ToList());
            bool complete = !member.Alive || last == reference.Count - 1;
            if (!same)
            {
                problems.Add($"{member.Label}'s lines are not an unbroken stretch of the order");
            }

            if (!complete)
            {
                problems.Add($"{member.Label} is missing the last {reference.Count - 1 - last} line(s)");
            }

            string positions = $"#{first + 1}..#{last + 1}";
            string note = same ? (first == 0 && last == reference.Count - 1 ? "yes, all of it" : $"yes, {positions}") : "NO";
            if (!member.Alive)
            {
                note += " (until its silo was killed)";
            }

            Console.WriteLine($"  {member.Label,-8} {lines.Count,5}  {positions,-11} {member.Report.Repeats,7} {member.Report.Resubscriptions,7}  {Digest(lines)}  {note}");
        }

        if (reference.Count != expectedLines)
        {
            problems.Add($"{expectedLines} lines were posted but {reference.Count} were delivered");
        }

        CheckGroup(everyone, expectedNotices, problems);

        Console.WriteLine();
        foreach (string problem in problems)
        {
            Console.WriteLine($"  problem: {problem}");
        }

        if (verdict)
        {
            Console.WriteLine(problems.Count == 0 ? PassLine : FailLine);
        }

        return problems.Count == 0;
    }

    private static List<DeliveredLine> ReferenceOrder(IReadOnlyList<MemberSnapshot> members, List<string> problems)
    {
        var merged = new SortedDictionary<SpreadSequenceToken, DeliveredLine>();
        foreach (var member in members)
        {
            foreach (var line in member.Report.Lines)
            {
                if (merged.TryGetValue(line.Token, out var other) && other.Line != line.Line)
                {
                    problems.Add($"position {line.Token} holds '{other.Line}' at one member and '{line.Line}' at {member.Label}");
                }

                merged.TryAdd(line.Token, line);
            }
        }

        return [.. merged.Values];
    }

    private static void CheckGroup(IReadOnlyList<MemberSnapshot> members, int expectedNotices, List<string> problems)
    {
        var reference = members.MaxBy(m => m.Report.Group.Count)!.Report.Group;
        var names = new MemberNames(members);
        Console.WriteLine();
        Console.WriteLine($"Group \"{Chat.Group}\" on ring \"{Chat.GroupRing}\" (group grains), its views and notices in order: '+' the member got it");
        Console.WriteLine($"  {string.Empty,-3} {"event",-60} {string.Join(' ', members.Select(m => m.Label))}");
        for (int i = 0; i < reference.Count; i++)
        {
            var item = reference[i];
            var marks = members.Select(m => (m.Report.Group.Any(e => e.Position == item.Position) ? "+" : " ").PadRight(m.Label.Length));
            Console.WriteLine($"  {i + 1,-3} {item.Describe(n => names[n]),-60} {string.Join(' ', marks)}".TrimEnd());
        }

        Console.WriteLine();
        Console.WriteLine($"  {"member",-8} {"events",6}  {"positions",-11} {"digest",-8}  same views and notices");
        foreach (var member in members)
        {
            var events = member.Report.Group;
            if (events.Count == 0)
            {
                Console.WriteLine($"  {member.Label,-8} {0,6}");
                problems.Add($"{member.Label} got no group view");
                continue;
            }

            int start = reference.ToList().FindIndex(e => e.Position == events[0].Position);
            int matched = 0;
            while (start >= 0 && matched < events.Count && start + matched < reference.Count && SameEvent(events[matched], reference[start + matched]))
            {
                matched++;
            }

            // Extended virtual synchrony: a member whose silo died may have delivered, last, notices
            // of its final view that no survivor got (a crash between delivering and passing them on).
            bool deadTail = !member.Alive && events.Skip(matched).All(e => !e.IsView && !reference.Any(r => r.Position == e.Position));
            bool stretch = start >= 0 && (matched == events.Count || (matched > 0 && deadTail));
            bool joined = events[0].IsView && events[0].Members.Contains(member.Report.Member ?? string.Empty, StringComparer.Ordinal);
            string positions = start >= 0 ? $"#{start + 1}..#{start + matched}" : "?";
            string note = !stretch ? "NO" : start == 0 && start + matched == reference.Count ? "yes, all of it" : $"yes, {positions}";
            if (stretch && matched < events.Count)
            {
                note += $" (and {events.Count - matched} notice(s) of its last view no survivor got)";
            }

            if (!member.Alive)
            {
                note += " (until its silo was killed)";
            }

            Console.WriteLine($"  {member.Label,-8} {events.Count,6}  {positions,-11} {GroupDigest(events)}  {note}");
            if (!stretch)
            {
                problems.Add($"{member.Label}'s group events are not an unbroken stretch of the others' ({string.Join("; ", events.Select(e => e.Describe(n => names[n])))})");
            }
            else if (member.Alive && start + matched != reference.Count)
            {
                problems.Add($"{member.Label} is missing the last {reference.Count - start - matched} group event(s)");
            }

            if (!joined)
            {
                problems.Add($"{member.Label}'s first group event is not the view of its join");
            }
        }

        int notices = reference.Count(e => !e.IsView);
        if (notices != expectedNotices)
        {
            problems.Add($"{expectedNotices} notices were sent but {notices} were delivered");
        }
    }

    private static bool SameEvent(GroupEvent a, GroupEvent b) =>
        a.Position == b.Position && a.Kind == b.Kind && a.Reason == b.Reason && a.Sender == b.Sender && a.Notice == b.Notice &&
        a.Members.SequenceEqual(b.Members, StringComparer.Ordinal);

    /// <summary>The first 8 hex digits of SHA-256 over the group events, in order.</summary>
    private static string GroupDigest(IEnumerable<GroupEvent> events)
    {
        var text = new StringBuilder();
        foreach (var e in events)
        {
            text.Append(e.Position).Append(' ').Append(e.Kind).Append(' ').Append(e.Reason).Append(' ')
                .AppendJoin(',', e.Members).Append(' ').Append(e.Sender).Append(' ').Append(e.Notice).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
    }

    /// <summary>The first 8 hex digits of SHA-256 over the lines and their positions, in order.</summary>
    private static string Digest(IEnumerable<DeliveredLine> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line.Token).Append(' ').Append(line.Line.Author).Append(' ').Append(line.Line.Number).Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..8];
    }
}
