using Orleans.Runtime;
using SpreadNet.Grains.Membership;
using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Tests;

public sealed class MemberDirectoryTests
{
    private static readonly GroupMemberInfo Member = new("#~g1#7f0000011f90", GrainId.Create("member", "a"), null);

    [Fact]
    public async Task ResolveAsync_AnnouncedAfterTheRequest_ReturnsTheAnnouncement()
    {
        var directory = new MemberDirectory(TimeProvider.System, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
        var pending = directory.ResolveAsync(Member.Name, CancellationToken.None).AsTask();
        Assert.False(pending.IsCompleted);
        directory.Add([Member]);
        Assert.Equal(Member, await pending);
    }

    [Fact]
    public async Task ResolveAsync_NeverAnnounced_NullAfterTheIdentityTimeout()
    {
        var directory = new MemberDirectory(TimeProvider.System, TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(1));
        Assert.Null(await directory.ResolveAsync("#~g9#7f0000011f90", CancellationToken.None));
    }

    [Fact]
    public async Task Depart_KeptForTheRetentionThenPurged()
    {
        var clock = new ManualClock();
        var directory = new MemberDirectory(clock, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        var other = Member with { Name = "#~g2#7f0000011f91" };
        directory.Add([Member, other]);
        directory.DepartNode("#7f0000011f90");
        clock.Advance(TimeSpan.FromSeconds(59));
        directory.Add([]);
        Assert.Equal(Member, await directory.ResolveAsync(Member.Name, CancellationToken.None));

        clock.Advance(TimeSpan.FromSeconds(2));
        directory.Add([]);
        Assert.Equal(1, directory.Count);
        Assert.Equal(other, await directory.ResolveAsync(other.Name, CancellationToken.None));
    }

    /// <summary>A clock that moves only when told; the directory reads timestamps only.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
