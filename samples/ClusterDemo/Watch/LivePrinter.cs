using System.Diagnostics;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// Prints the chat as it is delivered: each line of the total order once every running member has
/// passed it (or after a few seconds), with a mark per member: '+' it has this line at this
/// position, '!' it has another line there, '.' it has not got it, ' ' its silo is down or it
/// had not joined yet. Group views are printed the same way, once every running member in the view
/// has it.
/// </summary>
internal sealed class LivePrinter
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<SpreadSequenceToken, TimeSpan> _firstSeen = [];
    private readonly Dictionary<string, TimeSpan> _viewFirstSeen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _printedViews = new(StringComparer.Ordinal);
    private SpreadSequenceToken? _printedUpTo;
    private int _position;

    /// <summary>Prints what became printable in <paramref name="members"/>.</summary>
    public void Update(IReadOnlyList<MemberSnapshot> members)
    {
        PrintViews(members);
        PrintLines(members);
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

    private void PrintViews(IReadOnlyList<MemberSnapshot> members)
    {
        var byId = new Dictionary<string, ViewRecord>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var member in members)
        {
            foreach (var view in member.Report.Views)
            {
                if (byId.TryAdd(view.Id, view))
                {
                    order.Add(view.Id);
                }

                _viewFirstSeen.TryAdd(view.Id, _clock.Elapsed);
            }
        }

        foreach (string id in order.Where(id => !_printedViews.Contains(id)))
        {
            var view = byId[id];
            bool everyone = members
                .Where(m => m.Alive && view.Members.Contains(m.Report.Silo, StringComparer.Ordinal))
                .All(m => m.Report.Views.Any(v => v.Id == id));
            if (!everyone && _clock.Elapsed - _viewFirstSeen[id] < Patience)
            {
                continue;
            }

            _printedViews.Add(id);
            var seenBy = members.Where(m => m.Report.Views.Any(v => v.Id == id)).Select(m => m.Label);
            Console.WriteLine($"  view  {view.Describe(),-48} seen by {string.Join(' ', seenBy)}");
        }
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
