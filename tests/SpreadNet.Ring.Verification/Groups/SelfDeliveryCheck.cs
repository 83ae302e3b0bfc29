namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// A session receives its own message when it sent it, without self-discard, to a group it had
/// last asked to join (its join is ordered before the message, its leave after) or to its own
/// private name; unless its node crashed or left. Checked at the end for sessions that ended (their
/// end is ordered after all they sent) and, once the run has settled, for running ones.
/// </summary>
internal sealed class SelfDeliveryCheck(GroupContext context) : GroupCheck(context)
{
    private readonly Dictionary<SessionKey, List<GroupMessageKey>> _expected = [];

    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not Sent { SelfDiscard: false } sent
            || !sent.Targets.Any(t => session.Requests.GetValueOrDefault(t) || t == session.Key.PrivateName))
        {
            return;
        }

        if (!_expected.TryGetValue(session.Key, out var messages))
        {
            messages = [];
            _expected[session.Key] = messages;
        }

        messages.Add(sent.Message);
    }

    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        foreach (var session in sessions.Where(s => !s.Vanished && (s.Ended || settled)))
        {
            var expected = _expected.GetValueOrDefault(session.Key);
            int missing = expected?.FindIndex(m => !session.Delivered.Contains(m)) ?? -1;
            if (missing >= 0)
            {
                var message = expected![missing];
                Context.Report(GroupProperty.Delivery, $"{Context.Name(session.Key)} never received its own {Context.Name(message)}, sent to [{string.Join(", ", Context.Sent[message].Targets)}] while it was (asking to be) a member");
            }
        }
    }
}
