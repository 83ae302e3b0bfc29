using SpreadNet.Ring;

namespace SpreadNet.Simulation;

/// <summary>One message the workload submits at <see cref="TimeMicros"/>.</summary>
public readonly record struct Submission(long TimeMicros, MessageId Id, int Size, ServiceType Service);
