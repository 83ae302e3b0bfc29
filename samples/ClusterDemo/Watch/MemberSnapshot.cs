namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// One member as the demo shows it: a label (silo2' is silo 2 after a restart, dave the client), what
/// it saw, whether it still runs, whether it is on the stream (the client's member is in the group only).
/// </summary>
internal sealed record MemberSnapshot(string Label, MemberReport Report, bool Alive, bool OnStream = true);
