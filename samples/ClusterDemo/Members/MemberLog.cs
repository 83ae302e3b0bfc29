using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// What this silo's member saw, kept by the silo (a singleton) rather than by the grain, so that a
/// reactivated member grain goes on with the same record. Thread-safe: the stream handler, the
/// group session reader and reporters use it at once.
/// </summary>
public sealed class MemberLog(string silo)
{
    private readonly Lock _lock = new();
    private readonly List<DeliveredLine> _lines = [];
    private readonly List<ViewRecord> _views = [];
    private int _repeats;
    private int _resubscriptions;
    private volatile bool _subscribed;

    public string Silo { get; } = silo;

    /// <summary>Whether the member subscribed once: from then on it must stay subscribed, whichever activation it is.</summary>
    public bool Subscribed
    {
        get => _subscribed;
        set => _subscribed = value;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The last token applied, or null.</summary>
    public SpreadSequenceToken? LastToken
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count == 0 ? null : _lines[^1].Token;
            }
        }
    }

    /// <summary>
    /// Applies a line at its position. A persistent stream delivers at least once: after a queue
    /// moves to another silo, lines after its last watermark come again with their original tokens;
    /// those (and anything not after the last applied token) are counted and ignored.
    /// </summary>
    public bool Apply(SpreadSequenceToken token, ChatLine line)
    {
        lock (_lock)
        {
            if (_lines.Count > 0 && token.CompareTo(_lines[^1].Token) <= 0)
            {
                _repeats++;
                return false;
            }

            _lines.Add(new DeliveredLine(token, line));
            return true;
        }
    }

    public void AddView(ViewRecord view)
    {
        lock (_lock)
        {
            _views.Add(view);
        }
    }

    public void NoteResubscribed()
    {
        lock (_lock)
        {
            _resubscriptions++;
        }
    }

    public MemberReport Report(string siloAddress, IReadOnlyList<string> ringMembers)
    {
        lock (_lock)
        {
            return new MemberReport(Silo, siloAddress, [.. _lines], _repeats, [.. _views], ringMembers, _resubscriptions);
        }
    }
}
