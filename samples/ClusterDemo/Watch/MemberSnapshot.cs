namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>One member as the demo shows it: a label (silo2' is silo 2 after a restart), what it saw, whether its silo runs.</summary>
internal sealed record MemberSnapshot(string Label, MemberReport Report, bool Alive);
