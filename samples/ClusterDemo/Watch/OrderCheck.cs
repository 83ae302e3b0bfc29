using System.Security.Cryptography;
using System.Text;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// The demo's verdict. Order: the lines of all members, by token, make one sequence in which every
/// token stands for one line; each member's lines are an unbroken stretch of it (from its first
/// line to its last, nothing missing, nothing extra), ending at the end for the members whose silo
/// still runs. Views: each member's views are an unbroken stretch of the longest member's views,
/// with the same id, kind, reason and members.
/// </summary>
internal static class OrderCheck
{
    public const string PassLine = "PASS: every member saw the same order and the same views";
    public const string FailLine = "FAIL: the members' orders or views differ (see above)";

    /// <summary>Prints the per-member summary and the verdict; true when it passes.</summary>
    public static bool Report(IReadOnlyList<MemberSnapshot> members, int expectedLines)
    {
        var problems = new List<string>();
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

        CheckViews(members, problems);

        Console.WriteLine();
        foreach (string problem in problems)
        {
            Console.WriteLine($"  problem: {problem}");
        }

        Console.WriteLine(problems.Count == 0 ? PassLine : FailLine);
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

    private static void CheckViews(IReadOnlyList<MemberSnapshot> members, List<string> problems)
    {
        var longest = members.MaxBy(m => m.Report.Views.Count)!.Report.Views;
        Console.WriteLine();
        Console.WriteLine($"Views of group \"{Chat.Group}\" (one ring session per silo), in order: '+' the member got it");
        Console.WriteLine($"  {string.Empty,-3} {"kind",-12} {"reason",-10} {"members",-28} {string.Join(' ', members.Select(m => m.Label))}");
        for (int i = 0; i < longest.Count; i++)
        {
            var view = longest[i];
            var marks = members.Select(m => (m.Report.Views.Any(v => v.Id == view.Id) ? "+" : " ").PadRight(m.Label.Length));
            Console.WriteLine($"  {i + 1,-3} {view.Kind,-12} {view.Reason,-10} {"[" + string.Join(", ", view.Members) + "]",-28} {string.Join(' ', marks)}".TrimEnd());
        }

        foreach (var member in members)
        {
            var views = member.Report.Views;
            if (views.Count == 0)
            {
                problems.Add($"{member.Label} got no view");
                continue;
            }

            int start = longest.ToList().FindIndex(v => v.Id == views[0].Id);
            bool stretch = start >= 0 && start + views.Count <= longest.Count &&
                views.Select((v, i) => SameView(v, longest[start + i])).All(b => b);
            if (!stretch)
            {
                problems.Add($"{member.Label}'s views are not an unbroken stretch of the others' ({string.Join("; ", views.Select(v => v.Describe()))})");
            }
            else if (member.Alive && start + views.Count != longest.Count)
            {
                problems.Add($"{member.Label} is missing the last {longest.Count - start - views.Count} view(s)");
            }
        }
    }

    private static bool SameView(ViewRecord a, ViewRecord b) =>
        a.Id == b.Id && a.Kind == b.Kind && a.Reason == b.Reason && a.Members.SequenceEqual(b.Members, StringComparer.Ordinal);

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
