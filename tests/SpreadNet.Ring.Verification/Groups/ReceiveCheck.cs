namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Each delivery is of a message that was sent, described as sent (sender, targets, service), to a
/// session that is in one of its target groups by its own current view, or is its private target;
/// never twice, and never back to a sender that asked for self-discard.
/// </summary>
internal sealed class ReceiveCheck(GroupContext context) : GroupCheck(context)
{
    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not MessageReceived m)
        {
            return;
        }

        string At() => $"{Context.Name(session.Key)} received {Context.Name(m.Message)} at {m.Position}";
        if (!Context.Sent.TryGetValue(m.Message, out var sent))
        {
            Context.Report(GroupProperty.Delivery, $"{At()}, which was never sent");
            return;
        }

        if (session.Delivered.Contains(m.Message))
        {
            Context.Report(GroupProperty.Delivery, $"{At()} a second time");
        }

        if (m.ReportedSender != m.Message.Sender || m.Service != sent.Service || !m.Groups.SequenceEqual(sent.Targets))
        {
            Context.Report(GroupProperty.Delivery, $"{At()} as from {Context.Name(m.ReportedSender)} to [{string.Join(", ", m.Groups)}] ({m.Service}); it was sent to [{string.Join(", ", sent.Targets)}] ({sent.Service})");
        }

        if (sent.SelfDiscard && m.Message.Sender == session.Key)
        {
            Context.Report(GroupProperty.Delivery, $"{At()}: its own message, sent with self-discard");
        }

        if (!IsRecipient(session, sent))
        {
            string views = string.Join("; ", sent.Targets.Select(t => session.Views.TryGetValue(t, out var v) ? $"{t}: {v.Kind} {v.Id} {Context.Name(v.Members)}" : $"{t}: no view"));
            Context.Report(GroupProperty.Delivery, $"{At()}, sent to [{string.Join(", ", sent.Targets)}], none of which it is in ({views})");
        }
    }

    private static bool IsRecipient(SessionHistory session, Sent sent)
    {
        foreach (string target in sent.Targets)
        {
            if (session.IsMember(target) || (target.Length > 0 && target[0] == '#' && target == session.Key.PrivateName))
            {
                return true;
            }
        }

        return false;
    }
}
