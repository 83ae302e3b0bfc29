namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Checks the group layer's guarantees over what sessions report: delivery only to members, once,
/// as sent; total and FIFO order; well-formed views agreed by id and installed in one order; virtual
/// synchrony within what extended virtual synchrony allows across partitions; Safe delivery; and,
/// once the run has settled, one final view per group of exactly its live members. Feed it online
/// with <see cref="Record"/> and call <see cref="Finish"/> at the end.
/// </summary>
public sealed class GroupVerifier
{
    private readonly GroupContext _context;
    private readonly GroupCheck[] _checks;
    private bool _finished;

    /// <summary>Creates a verifier.</summary>
    /// <param name="describe">Names nodes in violation messages (default: the id in hex).</param>
    /// <param name="onViolation">Called for each violation as it is found.</param>
    public GroupVerifier(Func<NodeId, string>? describe = null, Action<EvsViolation>? onViolation = null)
    {
        _context = new GroupContext(describe ?? (n => n.ToString()), v =>
        {
            Violations.Add(v);
            onViolation?.Invoke(v);
        });
        _checks =
        [
            new ReceiveCheck(_context),
            new GroupOrderCheck(_context),
            new ViewShapeCheck(_context),
            new ViewAgreementCheck(_context),
            new RequestCheck(_context),
            new SelfDeliveryCheck(_context),
            new ViewOrderCheck(_context),
            new GroupVirtualSynchronyCheck(_context),
            new GroupSafeDeliveryCheck(_context),
            new FinalViewCheck(_context),
        ];
    }

    /// <summary>Violations found so far.</summary>
    public List<EvsViolation> Violations { get; } = [];

    /// <summary>Records what <paramref name="session"/> did or was handed, in the session's order.</summary>
    public void Record(SessionKey session, SessionEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_finished)
        {
            throw new InvalidOperationException("The verifier has finished.");
        }

        var history = _context.Session(session);
        if (history.Over)
        {
            _context.Report(GroupProperty.Log, $"{_context.Name(session)} reported {entry} after it ended or vanished");
            return;
        }

        if (entry is Sent sent)
        {
            _context.Sent[sent.Message] = sent;
        }

        foreach (var check in _checks)
        {
            check.Observe(history, entry);
        }

        history.Apply(entry);
    }

    /// <summary>
    /// Runs the checks that need whole logs; call once. <paramref name="settled"/>: every session
    /// still running has received everything sent before the end (the run met its liveness goal),
    /// so final views and completed requests can be required.
    /// </summary>
    public IReadOnlyList<EvsViolation> Finish(bool settled)
    {
        if (!_finished)
        {
            _finished = true;
            foreach (var check in _checks)
            {
                check.Finish(_context.Sessions.Values, settled);
            }
        }

        return Violations;
    }
}

/// <summary>What the group properties share: the sessions, the messages sent, naming and reporting.</summary>
internal sealed class GroupContext(Func<NodeId, string> describe, Action<EvsViolation> report)
{
    public Dictionary<SessionKey, SessionHistory> Sessions { get; } = [];

    public Dictionary<GroupMessageKey, Sent> Sent { get; } = [];

    public SessionHistory Session(SessionKey key)
    {
        if (!Sessions.TryGetValue(key, out var history))
        {
            history = new SessionHistory(key);
            Sessions.Add(key, history);
        }

        return history;
    }

    public string Name(SessionKey session) => $"{session.Name}@{describe(session.Node)}";

    public string Name(GroupMessageKey message) => $"{Name(message.Sender)}#{message.Number}";

    public string Name(IEnumerable<SessionKey> members) => $"[{string.Join(", ", members.Select(Name))}]";

    public string Name(IEnumerable<NodeId> nodes) => $"[{string.Join(", ", nodes.Select(describe))}]";

    public void Report(string property, string message) => report(new EvsViolation(property, message));
}

/// <summary>One group property: <see cref="Observe"/> sees every entry before the session's history takes it in; <see cref="Finish"/> checks whole logs.</summary>
internal abstract class GroupCheck(GroupContext context)
{
    protected GroupContext Context { get; } = context;

    public virtual void Observe(SessionHistory session, SessionEntry entry)
    {
    }

    public virtual void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
    }
}
