using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Transport;

/// <summary>One due time per engine timer kind; the event loop sleeps until the earliest.</summary>
internal sealed class TimerSlots
{
    private readonly long[] _due = new long[TimerKinds.Count];

    public TimerSlots() => Array.Fill(_due, TimerKinds.Disarmed);

    public void Set(TimerKind kind, long dueMicros) => _due[(int)kind] = dueMicros;

    public long EarliestDue()
    {
        long earliest = TimerKinds.Disarmed;
        foreach (long due in _due)
        {
            earliest = Math.Min(earliest, due);
        }

        return earliest;
    }

    /// <summary>Disarms and returns the first timer due at <paramref name="now"/>, if any.</summary>
    public bool TryTakeDue(long now, out TimerKind kind)
    {
        for (int i = 0; i < _due.Length; i++)
        {
            if (_due[i] <= now)
            {
                _due[i] = TimerKinds.Disarmed;
                kind = (TimerKind)i;
                return true;
            }
        }

        kind = default;
        return false;
    }
}
