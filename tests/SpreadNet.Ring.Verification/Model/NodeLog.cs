namespace SpreadNet.Ring.Verification;

/// <summary>Everything one incarnation reported, in order; what a multi-process test parses from a node's file.</summary>
public sealed record NodeLog(Incarnation Incarnation, IReadOnlyList<LogEntry> Entries);
