namespace SpreadNet.Ring.Verification;

/// <summary>
/// The verifier's record of one incarnation: its epochs (one per regular configuration installed),
/// where it is now, what it submitted, and whether it ended. Properties read it; only
/// <see cref="Apply"/> changes it, after every property has observed the entry.
/// </summary>
internal sealed class IncarnationHistory(Incarnation id)
{
    private readonly Dictionary<RingId, EpochLog> _epochs = [];

    public Incarnation Id { get; } = id;

    /// <summary>The epoch of the current regular configuration; null before the first.</summary>
    public EpochLog? Current { get; private set; }

    /// <summary>Whether a transitional configuration was delivered and its regular one not yet.</summary>
    public bool InTransition => Current?.Transitional is not null && Current.Next is null;

    /// <summary>Whether the incarnation crashed or left.</summary>
    public bool Ended { get; private set; }

    /// <summary>Every epoch, in installation order.</summary>
    public List<EpochLog> Epochs { get; } = [];

    /// <summary>Messages submitted and not (yet) delivered back to this incarnation.</summary>
    public HashSet<MessageKey> Undelivered { get; } = [];

    public EpochLog? EpochOf(RingId ring) => _epochs.GetValueOrDefault(ring);

    public void Apply(LogEntry entry)
    {
        switch (entry)
        {
            case Delivered d:
                Undelivered.Remove(d.Message);
                var epoch = EpochOf(d.Ring);
                if (epoch is not null)
                {
                    (InTransition && epoch == Current ? epoch.TransitionalPart : epoch.RegularPart).Add(d);
                }

                break;
            case Configuration { Kind: ConfigKind.Transitional } t when Current is not null && Current.Next is null:
                Current.Transitional = t;
                break;
            case Configuration { Kind: ConfigKind.Regular } r:
                Current?.Next = r.Ring;
                Current = new EpochLog(r.Ring, [.. r.Members.Order()]);
                _epochs.TryAdd(r.Ring, Current);
                Epochs.Add(Current);
                break;
            case Submitted s:
                Undelivered.Add(s.Message);
                break;
            case Crashed or Left:
                Ended = true;
                Current?.EndedHere = true;
                break;
            default:
                break;
        }
    }
}
