using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Tests;

public class PacketStoreTests
{
    private const int Capacity = 8;

    private readonly PacketPool _pool = new(64, 64);

    [Theory]
    [InlineData(0)]
    [InlineData(-4)]
    [InlineData(3)]
    [InlineData(12)]
    public void Constructor_CapacityNotPowerOfTwo_Throws(int capacity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PacketStore(capacity, _pool));
    }

    [Fact]
    public void InWindow_FreshStore_CoversOneToCapacity()
    {
        var store = new PacketStore(Capacity, _pool);

        Assert.Equal(0, store.FreedUpTo);
        Assert.False(store.InWindow(0));
        Assert.True(store.InWindow(1));
        Assert.True(store.InWindow(Capacity));
        Assert.False(store.InWindow(Capacity + 1));
        Assert.False(store.InWindow(-1));
        Assert.False(store.InWindow(long.MinValue));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(Capacity + 1L)]
    [InlineData(long.MaxValue)]
    public void TryAdd_OutsideWindow_ReturnsFalse(long seq)
    {
        var store = new PacketStore(Capacity, _pool);

        Assert.False(store.TryAdd(seq, _pool.Rent(), 10));
        Assert.False(store.Contains(seq));
    }

    [Fact]
    public void TryAdd_InWindow_StoredWithItsLength()
    {
        var store = new PacketStore(Capacity, _pool);
        var buffer = Filled(7);

        Assert.True(store.TryAdd(3, buffer, 20));

        Assert.True(store.Contains(3));
        Assert.False(store.Contains(2));
        Assert.False(store.Contains(3 + Capacity));
        Assert.True(store.TryGet(3, out var datagram));
        Assert.Equal(20, datagram.Length);
        Assert.True(datagram.SequenceEqual(buffer.AsSpan(0, 20)));
    }

    [Fact]
    public void TryAdd_SameSeqTwice_SecondRejectedFirstKept()
    {
        var store = new PacketStore(Capacity, _pool);
        var first = Filled(1);

        Assert.True(store.TryAdd(5, first, 10));
        Assert.False(store.TryAdd(5, Filled(2), 12));

        Assert.True(store.TryGet(5, out var datagram));
        Assert.Equal(10, datagram.Length);
        Assert.Equal(1, datagram[0]);
    }

    [Fact]
    public void TryGet_MissingOrOutsideWindow_ReturnsFalse()
    {
        var store = new PacketStore(Capacity, _pool);
        store.TryAdd(1, Filled(1), 10);

        Assert.False(store.TryGet(2, out var missing));
        Assert.True(missing.IsEmpty);
        Assert.False(store.TryGet(1 + Capacity, out _));
        Assert.False(store.TryGet(0, out _));
    }

    [Fact]
    public void FreeUpTo_HeldPackets_ReturnsTheirBuffersAndSlidesTheWindow()
    {
        var store = new PacketStore(Capacity, _pool);
        var one = Filled(1);
        var three = Filled(3);
        store.TryAdd(1, one, 10);
        store.TryAdd(3, three, 10);
        store.TryAdd(4, Filled(4), 10);

        store.FreeUpTo(3);

        Assert.Equal(3, store.FreedUpTo);
        Assert.False(store.Contains(1));
        Assert.False(store.Contains(3));
        Assert.True(store.Contains(4));
        Assert.False(store.InWindow(3));
        Assert.True(store.InWindow(3 + Capacity));
        Assert.Same(one, _pool.Rent());
        Assert.Same(three, _pool.Rent());
    }

    [Fact]
    public void FreeUpTo_SlotReusedAfterFree_HoldsTheNewPacket()
    {
        var store = new PacketStore(Capacity, _pool);
        store.TryAdd(2, Filled(2), 10);
        Assert.False(store.TryAdd(2 + Capacity, Filled(9), 10));

        store.FreeUpTo(2);

        Assert.True(store.TryAdd(2 + Capacity, Filled(9), 11));
        Assert.True(store.TryGet(2 + Capacity, out var datagram));
        Assert.Equal(9, datagram[0]);
        Assert.False(store.Contains(2));
    }

    [Fact]
    public void FreeUpTo_BelowFreed_DoesNothing()
    {
        var store = new PacketStore(Capacity, _pool);
        store.FreeUpTo(5);
        store.TryAdd(6, Filled(6), 10);

        store.FreeUpTo(2);

        Assert.Equal(5, store.FreedUpTo);
        Assert.True(store.Contains(6));
    }

    [Fact]
    public void Reset_HeldPackets_FreesEverythingAndMovesTheWindow()
    {
        var store = new PacketStore(Capacity, _pool);
        var held = Filled(1);
        store.TryAdd(1, held, 10);
        store.TryAdd(2, Filled(2), 10);

        store.Reset(100);

        Assert.Equal(100, store.FreedUpTo);
        Assert.False(store.Contains(1));
        Assert.False(store.Contains(2));
        Assert.True(store.InWindow(101));
        Assert.True(store.InWindow(100 + Capacity));
        Assert.False(store.InWindow(100));
        Assert.Same(held, _pool.Rent());
        Assert.True(store.TryAdd(101, Filled(3), 10));
    }

    private byte[] Filled(byte value)
    {
        var buffer = _pool.Rent();
        buffer.AsSpan().Fill(value);
        return buffer;
    }
}
