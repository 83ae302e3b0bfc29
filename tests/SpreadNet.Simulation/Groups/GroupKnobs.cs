using System.Globalization;

namespace SpreadNet.Simulation.Groups;

/// <summary>
/// The group workload of a run: a few groups, a few sessions per node, and session actions (join,
/// leave, multicast to one group, several groups or one session, end, open) at times drawn over the
/// safety phase. Drawn from their own random stream, so turning groups off keeps every other knob.
/// </summary>
public sealed record GroupKnobs
{
    /// <summary>Groups the sessions use, named g0, g1, ...</summary>
    public int GroupCount { get; init; } = 4;

    /// <summary>Session actions over the safety phase (actions at a stopped node are skipped).</summary>
    public int Actions { get; init; } = 120;

    /// <summary>Sessions each node opens when it starts (again at each restart: a crash loses them).</summary>
    public int InitialSessions { get; init; } = 2;

    /// <summary>Most sessions open at one node at once.</summary>
    public int MaxSessions { get; init; } = 4;

    /// <summary>Share of multicasts sent with self-discard.</summary>
    public double SelfDiscardFraction { get; init; } = 0.2;

    /// <summary>Share of sessions that ask for payload copies (as a session that fell behind does) rather than slices of the receive buffer.</summary>
    public double CopyFraction { get; init; } = 0.3;

    /// <summary>Messages a session keeps before disposing the oldest (their payloads are checked again then: a lease released too early shows).</summary>
    public int RetainDepth { get; init; } = 4;

    /// <summary>Draws the knobs of <paramref name="seed"/>.</summary>
    public static GroupKnobs FromSeed(int seed)
    {
        var random = RandomStreams.Create(seed, RandomStreams.Groups);
        return new GroupKnobs
        {
            GroupCount = random.Next(3, 6),
            Actions = random.Next(4) == 0 ? random.Next(200, 401) : random.Next(30, 201),
            InitialSessions = random.Next(1, 4),
            MaxSessions = random.Next(2, 6),
            SelfDiscardFraction = random.NextDouble(0, 0.4),
            CopyFraction = random.NextDouble(0, 1),
            RetainDepth = random.Next(0, 9),
        };
    }

    /// <summary>One line for reports and traces.</summary>
    public string Describe() => string.Create(
        CultureInfo.InvariantCulture,
        $"groups: {GroupCount} groups, {Actions} session actions, {InitialSessions} session(s) per node at start (at most {MaxSessions}), self-discard {SelfDiscardFraction:P0}, copies {CopyFraction:P0}, {RetainDepth} messages retained per session");
}
