namespace SpreadNet.Simulation;

/// <summary>
/// A directed link that misbehaves for a while: it drops everything, or holds every datagram back
/// by <see cref="ExtraDelayMicros"/>.
/// </summary>
public readonly record struct LinkClog(int From, int To, long StartMicros, long EndMicros, bool Drops, long ExtraDelayMicros)
{
    /// <summary>Whether the clog affects a datagram sent on <paramref name="from"/> → <paramref name="to"/> at <paramref name="now"/>.</summary>
    public bool Affects(int from, int to, long now) => from == From && to == To && now >= StartMicros && now < EndMicros;

    /// <inheritdoc />
    public override string ToString() =>
        $"n{From}->n{To} [{StartMicros / 1000}ms,{EndMicros / 1000}ms) {(Drops ? "drop" : $"+{ExtraDelayMicros / 1000}ms")}";
}
