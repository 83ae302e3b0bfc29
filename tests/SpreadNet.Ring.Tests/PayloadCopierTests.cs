using System.Runtime.InteropServices;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Tests;

public class PayloadCopierTests
{
    private const int BufferSize = 64;

    private readonly PacketPool _pool = new(BufferSize, 16);
    private readonly PayloadLeasePool _leases = new();
    private readonly PayloadCopier _copier = new();

    [Fact]
    public void TryCopy_SmallPayloads_PackedIntoOneBufferWithTheirOwnBytes()
    {
        var copies = Enumerable.Range(1, 3).Select(i => Copy(Filled(20, (byte)i))).ToArray();

        for (int i = 0; i < copies.Length; i++)
        {
            var (lease, generation) = copies[i];
            Assert.True(MemoryMarshal.TryGetArray(lease.Memory(generation), out var segment));
            Assert.Equal(Filled(20, (byte)(i + 1)), segment.ToArray());
            Assert.Equal(i * 20, segment.Offset);
            Assert.Same(BufferOf(copies[0]), segment.Array);
        }
    }

    [Fact]
    public void TryCopy_PayloadDoesNotFit_StartsAnotherBuffer()
    {
        var first = Copy(Filled(40, 1));
        var second = Copy(Filled(40, 2));

        Assert.NotSame(BufferOf(first), BufferOf(second));
        Assert.Equal(Filled(40, 2), second.Lease.Memory(second.Generation).ToArray());
    }

    [Fact]
    public void TryCopy_LargerThanABuffer_ReturnsFalse()
    {
        Assert.False(_copier.TryCopy(_pool, new byte[BufferSize + 1], _leases.Rent()));
    }

    [Fact]
    public void Release_LastCopyAfterClose_BufferBackInPool()
    {
        var copies = new[] { Copy(Filled(10, 1)), Copy(Filled(10, 2)) };
        var buffer = BufferOf(copies[0]);

        _copier.Close();
        copies[0].Lease.Release(copies[0].Generation);
        Assert.NotSame(buffer, _pool.Rent());
        copies[1].Lease.Release(copies[1].Generation);

        Assert.Same(buffer, _pool.Rent());
    }

    [Fact]
    public void Release_CopiesWhileOpen_BufferStaysWithTheCopier()
    {
        var copy = Copy(Filled(10, 1));
        var buffer = BufferOf(copy);

        copy.Lease.Release(copy.Generation);
        var next = Copy(Filled(10, 2));

        Assert.Same(buffer, BufferOf(next));
        Assert.Equal(Filled(10, 2), next.Lease.Memory(next.Generation).ToArray());
    }

    private static byte[] Filled(int length, byte value) => Enumerable.Repeat(value, length).ToArray();

    private static byte[] BufferOf((PayloadLease Lease, int Generation) copy) =>
        MemoryMarshal.TryGetArray(copy.Lease.Memory(copy.Generation), out var segment) ? segment.Array! : throw new InvalidOperationException("Not an array.");

    private (PayloadLease Lease, int Generation) Copy(byte[] payload)
    {
        var lease = _leases.Rent();
        Assert.True(_copier.TryCopy(_pool, payload, lease));
        return (lease, lease.Generation);
    }
}
