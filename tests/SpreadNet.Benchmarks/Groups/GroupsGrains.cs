using System.Diagnostics;
using Orleans;
using Orleans.Runtime;
using SpreadNet.Grains;
using SpreadNet.Interfaces;

namespace SpreadNet.Benchmarks.Groups;

/// <summary>A benchmark message: the sender's <see cref="Stopwatch"/> stamp, its phase, and padding to about 100 bytes.</summary>
[GenerateSerializer, Immutable]
public sealed record GroupBenchMessage([property: Id(0)] long SentAt, [property: Id(1)] GroupsPhase Phase, [property: Id(2)] byte[] Padding);

/// <summary>A member grain's sending instructions: <c>Loops</c> loops, each awaiting its MulticastAsync before the next.</summary>
[GenerateSerializer, Immutable]
public sealed record SendPlan(
    [property: Id(0)] string Group,
    [property: Id(1)] GroupServiceType Service,
    [property: Id(2)] int Loops,
    [property: Id(3)] double PerSecondPerLoop,
    [property: Id(4)] long InFlightLimit,
    [property: Id(5)] GroupsPhase Phase,
    [property: Id(6)] long TimedFrom,
    [property: Id(7)] long TimedUntil);

/// <summary>When a timed join started and completed inside the joining grain.</summary>
[GenerateSerializer, Immutable]
public sealed record JoinStamp([property: Id(0)] long StartedAt, [property: Id(1)] long CompletedAt);

public interface IBenchMemberGrain : IGroupMember, IGrainWithStringKey
{
    /// <summary>Joins as recorded member <paramref name="index"/>; returns the silo's name.</summary>
    Task<string> JoinAsync(string group, int index);

    /// <summary>The silo's name (the first call activates the grain).</summary>
    Task<string> WhereAsync();

    /// <summary>Joins as a newcomer (not recorded), stamping the join from inside the grain.</summary>
    Task<JoinStamp> JoinTimedAsync(string group);

    Task LeaveAsync(string group);

    /// <summary>Starts sending in the background as this member; returns the silo's name.</summary>
    Task<string> StartSendingAsync(SendPlan plan);

    /// <summary>Stops the loops; returns how many messages they sent.</summary>
    Task<long> StopSendingAsync();
}

/// <summary>
/// A group member recording into <see cref="GroupsRecorder"/>, and a sender multicasting as itself
/// (through its own ring session). Its loops run as turns of the activation, interleaved with the
/// deliveries to it, as an application member's would be.
/// </summary>
public sealed class BenchMemberGrain(ILocalSiloDetails silo, GroupsRecorder recorder) : GroupMemberGrain, IBenchMemberGrain
{
    private static readonly byte[] Padding = new byte[76];
    private int _index = -1;
    private Task<long[]>? _loops;
    private bool _stopping;

    public override Task OnGroupViewAsync(GroupViewInfo view)
    {
        if (_index >= 0)
        {
            recorder.RecordView(_index, view);
        }

        return Task.CompletedTask;
    }

    public override Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        if (_index >= 0 && message.Payload is GroupBenchMessage bench)
        {
            recorder.Record(_index, bench);
        }

        return Task.CompletedTask;
    }

    public async Task<string> JoinAsync(string group, int index)
    {
        _index = index;
        recorder.JoinedOn[index] = silo.Name;
        await JoinGroupAsync(group);
        return silo.Name;
    }

    public Task<string> WhereAsync() => Task.FromResult(silo.Name);

    public async Task<JoinStamp> JoinTimedAsync(string group)
    {
        long started = Stopwatch.GetTimestamp();
        await JoinGroupAsync(group);
        return new JoinStamp(started, Stopwatch.GetTimestamp());
    }

    public Task LeaveAsync(string group) => LeaveGroupAsync(group);

    public Task<string> StartSendingAsync(SendPlan plan)
    {
        _stopping = false;
        _loops = Task.WhenAll(Enumerable.Range(0, plan.Loops).Select(_ => SendAsync(plan)));
        return Task.FromResult(silo.Name);
    }

    public async Task<long> StopSendingAsync()
    {
        _stopping = true;
        long sent = _loops is null ? 0 : (await _loops).Sum();
        _loops = null;
        return sent;
    }

    private async Task<long> SendAsync(SendPlan plan)
    {
        long sent = 0;
        var clock = Stopwatch.StartNew();
        while (!_stopping)
        {
            if (plan.PerSecondPerLoop > 0)
            {
                var due = TimeSpan.FromSeconds(sent / plan.PerSecondPerLoop);
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }
            }

            // MulticastAsync completes once the ring has the message, before members have it: without
            // this bound the ring outruns the members' deliveries until their queues overflow.
            while (plan.InFlightLimit > 0 && recorder.InFlight >= plan.InFlightLimit && !_stopping)
            {
                await Task.Delay(1);
            }

            long now = Stopwatch.GetTimestamp();
            var phase = now >= plan.TimedFrom && now < plan.TimedUntil ? plan.Phase : GroupsPhase.Untimed;
            recorder.CountIssued();
            await MulticastAsync(plan.Group, new GroupBenchMessage(now, phase, Padding), plan.Service);
            sent++;
        }

        return sent;
    }
}

/// <summary>A client's member object recording into <see cref="GroupsRecorder"/> (the recorder is shared: one process).</summary>
public sealed class ClientBenchMember(GroupsRecorder recorder, int index) : IGroupMember
{
    public Task OnGroupViewAsync(GroupViewInfo view)
    {
        recorder.RecordView(index, view);
        return Task.CompletedTask;
    }

    public Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Payload is GroupBenchMessage bench)
        {
            recorder.Record(index, bench);
        }

        return Task.CompletedTask;
    }
}
