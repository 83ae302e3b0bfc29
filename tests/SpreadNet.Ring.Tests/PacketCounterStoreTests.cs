using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Transport;

namespace SpreadNet.Ring.Tests;

public sealed class PacketCounterStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"spreadnet-counters-{Guid.NewGuid():N}");

    [Fact]
    public void Start_WithoutDirectory_StartsAtTheClock()
    {
        var store = new PacketCounterStore(null, Datagrams.NodeA);

        Assert.Equal(5_000UL, store.Start(5_000));
        Assert.Equal(5_000 + PacketCounterStore.Reservation, store.ReservedUpTo);
    }

    [Fact]
    public void Start_AfterARunAndTheClockSetBack_StartsAboveEveryCounterThatRunUsed()
    {
        var first = new PacketCounterStore(_directory, Datagrams.NodeA);
        ulong next = first.Start(1UL << 60);
        for (int i = 0; i < 3; i++)
        {
            // The run crosses two reservations: each is written before its first counter is used.
            next = first.ReservedUpTo;
            first.EnsureReserved(next);
            Assert.True(first.ReservedUpTo > next);
        }

        var restarted = new PacketCounterStore(_directory, Datagrams.NodeA);
        ulong start = restarted.Start((1UL << 60) - 1_000_000);

        Assert.True(start > next);
        Assert.Equal(first.ReservedUpTo, start);
    }

    [Fact]
    public void Start_ClockAheadOfTheFile_StartsAtTheClock()
    {
        new PacketCounterStore(_directory, Datagrams.NodeA).Start(1_000);

        Assert.Equal(1UL << 50, new PacketCounterStore(_directory, Datagrams.NodeA).Start(1UL << 50));
    }

    [Fact]
    public void Start_DamagedFile_NamesStateDirectoryAndTheFix()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(Path.Combine(_directory, $"packet-counter-{Datagrams.NodeA}.txt"), "not a number");

        var exception = Assert.Throws<RingConfigurationException>(() => new PacketCounterStore(_directory, Datagrams.NodeA).Start(1));

        Assert.Equal(nameof(RingOptions.StateDirectory), exception.Setting);
        Assert.Contains("delete the file", exception.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
