namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// A completed join leaves the session in the group, a completed leave out of it; once the run has
/// settled, every request of a running session has completed and every session that asked to end has ended.
/// </summary>
internal sealed class RequestCheck(GroupContext context) : GroupCheck(context)
{
    private readonly Dictionary<SessionKey, int> _pending = [];

    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        switch (entry)
        {
            case JoinRequested or LeaveRequested:
                _pending[session.Key] = _pending.GetValueOrDefault(session.Key) + 1;
                break;
            case RequestCompleted c:
                _pending[session.Key] = _pending.GetValueOrDefault(session.Key) - 1;
                if (c.Join != session.IsMember(c.Group))
                {
                    Context.Report(GroupProperty.Requests, $"{Context.Name(session.Key)}'s {(c.Join ? "join" : "leave")} of {c.Group} completed, but it is {(c.Join ? "not " : "")}a member by its last view");
                }

                break;
            default:
                break;
        }
    }

    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        if (!settled)
        {
            return;
        }

        foreach (var session in sessions.Where(s => !s.Over))
        {
            if (session.EndRequested)
            {
                Context.Report(GroupProperty.Requests, $"{Context.Name(session.Key)} asked to end but never ended");
            }
            else if (_pending.GetValueOrDefault(session.Key) != 0)
            {
                Context.Report(GroupProperty.Requests, $"{Context.Name(session.Key)} has {_pending[session.Key]} join or leave requests that never completed");
            }
        }
    }
}
