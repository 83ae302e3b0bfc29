using System.Diagnostics;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// Prints the chat as it is delivered: each line of the total order once every running member has
/// passed it (or after a few seconds), with a mark per member: '+' it has this line at this
/// position, '!' it has another line there, '.' it has not got it, ' ' its silo is down or it
/// had not joined yet. The group's events (views and notices) are printed the same way, in the
/// group's order, once every running member that had joined by then has them.
/// </summary>
internal sealed class LivePrinter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<SpreadSequenceToken, TimeSpan> _firstSeen = [];
    private readonly Dictionary<string, TimeSpan> _groupFirstSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _printedGroup = new(StringComparer.Ordinal);
    private SpreadSequenceToken? _printedUpTo;
    private int _position;

    /// <summary>Prints what became printable in <paramref name="members"/>.</summary>
    public void Update(IReadOnlyList<MemberSnapshot> members)
    {
        PrintGroup(members);
        PrintLines([.. members.Where(m => m.OnStream)]);
    }

    private void PrintLines(IReadOnlyList<MemberSnapshot> members)
    {
        var merged = new SortedDictionary<SpreadSequenceToken, ChatLine>();
        foreach (var member in members)
        {
            foreach (var delivered in member.Report.Lines)
            {
                merged.TryAdd(delivered.Token, delivered.Line);
                _firstSeen.TryAdd(delivered.Token, _clock.Elapsed);
            }
        }

        foreach (var (token, line) in merged)
        {
            if (_printedUpTo is not null && token.CompareTo(_printedUpTo) <= 0)
            {
                continue;
            }

            var waitingFor = members.Where(m => m.Alive && (m.Report.Lines.Count == 0 || m.Report.Lines[^1].Token.CompareTo(token) < 0));
            if (waitingFor.Any() && _clock.Elapsed - _firstSeen[token] < Patience)
            {
                return;
            }

            _position++;
            _printedUpTo = token;
            var marks = members.Select(m => $"{m.Label}{Mark(m, token, line)}");
            Console.WriteLine($"  #{_position,-3} {line.Author,-6} {line.Text,-34} {string.Join(' ', marks)}".TrimEnd());
        }
    }

    private void PrintGroup(IReadOnlyList<MemberSnapshot> members)
    {
        // The running member with the most events has every event so far (members only join).
        var reference = members.Where(m => m.Alive).Select(m => m.Report.Group).MaxBy(g => g.Count) ?? [];
        var names = new MemberNames(members);
        for (int i = 0; i < reference.Count; i++)
        {
            var item = reference[i];
            _groupFirstSeen.TryAdd(item.Position, _clock.Elapsed);
            if (_printedGroup.Contains(item.Position))
            {
                continue;
            }

            bool waiting = members.Any(m => m.Alive && JoinedBy(m, reference, i) && !m.Report.Group.Any(e => e.Position == item.Position));
            if (waiting && _clock.Elapsed - _groupFirstSeen[item.Position] < Patience)
            {
                return;
            }

            _printedGroup.Add(item.Position);
            var marks = members.Select(m => $"{m.Label}{(m.Report.Group.Any(e => e.Position == item.Position) ? '+' : ' ')}");
            Console.WriteLine($"  group {item.Describe(n => names[n]),-60} {string.Join(' ', marks)}".TrimEnd());
        }
    }

    /// <summary>Whether the member's first event is at or before position <paramref name="index"/> of the reference.</summary>
    private static bool JoinedBy(MemberSnapshot member, IReadOnlyList<GroupEvent> reference, int index)
    {
        var events = member.Report.Group;
        if (events.Count == 0)
        {
            return false;
        }

        for (int i = 0; i <= index; i++)
        {
            if (reference[i].Position == events[0].Position)
            {
                return true;
            }
        }

        return false;
    }

    private static char Mark(MemberSnapshot member, SpreadSequenceToken token, ChatLine line)
    {
        foreach (var delivered in member.Report.Lines)
        {
            if (delivered.Token.Equals(token))
            {
                return delivered.Line == line ? '+' : '!';
            }
        }

        var lines = member.Report.Lines;
        bool joinedBefore = lines.Count > 0 && lines[0].Token.CompareTo(token) < 0;
        return member.Alive && joinedBefore ? '.' : ' ';
    }
}
