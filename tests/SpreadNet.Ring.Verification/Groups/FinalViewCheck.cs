using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Liveness of the group layer: once the run has settled, in every group the running sessions whose
/// last request was to join it are members by their last view, all of them by the same regular view,
/// whose members are exactly they; every other running session is out of it.
/// </summary>
internal sealed class FinalViewCheck(GroupContext context) : GroupCheck(context)
{
    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        if (!settled)
        {
            return;
        }

        var live = sessions.Where(s => !s.Over && !s.EndRequested).ToArray();
        var groups = sessions.SelectMany(s => s.Requests.Keys.Concat(s.Views.Keys)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        foreach (string group in groups)
        {
            var expected = live.Where(s => s.Requests.GetValueOrDefault(group)).Select(s => s.Key).ToHashSet();
            ViewInstalled? agreed = null;
            SessionKey agreedBy = default;
            foreach (var session in live)
            {
                bool member = session.IsMember(group);
                session.Views.TryGetValue(group, out var last);
                if (member != expected.Contains(session.Key))
                {
                    Fail($"{Context.Name(session.Key)} {(member ? "is still in" : "is not in")} {group} at the end, though its last request was {(member ? "to leave" : "to join")}; its last view: {Describe(last)}");
                    continue;
                }

                if (!member)
                {
                    continue;
                }

                if (last!.Kind != GroupViewKind.Regular || !last.Members.ToHashSet().SetEquals(expected))
                {
                    Fail($"{Context.Name(session.Key)} ends in {Describe(last)} of {group}; the running members are {Context.Name(expected.OrderBy(k => k.Node).ThenBy(k => k.Name, StringComparer.Ordinal))}");
                }
                else if (agreed is null)
                {
                    (agreed, agreedBy) = (last, session.Key);
                }
                else if (agreed.Id != last.Id)
                {
                    Fail($"{Context.Name(session.Key)} ends in view {last.Id} of {group}, {Context.Name(agreedBy)} in {agreed.Id}");
                }
            }
        }
    }

    private string Describe(ViewInstalled? view) =>
        view is null ? "none" : $"{view.Kind} view {view.Id} ({view.Reason}) {Context.Name(view.Members)}";

    private void Fail(string message) => Context.Report(GroupProperty.FinalViews, message);
}
