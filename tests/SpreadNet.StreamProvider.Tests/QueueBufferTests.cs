using Orleans.Runtime;
using Orleans.Streams;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider.Tests;

/// <summary>The per-queue buffer's bound and the cache positions the watermark is made of.</summary>
public sealed class QueueBufferTests
{
    private static readonly byte[] Body = new byte[10];

    [Fact]
    public async Task WaitForRoomAsync_QueueAtItsBound_WaitsUntilTheWatermarkMoves()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions { RetentionCount = 3 }, TimeProvider.System);
        for (int i = 1; i <= 3; i++)
        {
            await buffer.WaitForRoomAsync(CancellationToken.None);
            buffer.Append(At(i), Body);
        }

        var waiting = buffer.WaitForRoomAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        Assert.Equal(1, buffer.WaitingProducers);

        buffer.SetWatermark(At(1));
        await waiting;
        Assert.Equal(0, buffer.WaitingProducers);
        Assert.Equal(2, buffer.PendingCount);
        Assert.Equal(3, buffer.Count);
    }

    [Fact]
    public async Task WaitForRoomAsync_BytesAtTheBound_Waits()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions { RetentionBytes = 20 }, TimeProvider.System);
        buffer.Append(At(1), Body);
        buffer.Append(At(2), Body);

        var waiting = buffer.WaitForRoomAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        buffer.SetWatermark(At(2));
        await waiting;
        Assert.Equal(0, buffer.PendingCount);
    }

    [Fact]
    public async Task Close_ProducerWaitingForRoom_FailsWithTheReason()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions { RetentionCount = 1 }, TimeProvider.System);
        buffer.Append(At(1), Body);
        var waiting = buffer.WaitForRoomAsync(CancellationToken.None);

        buffer.Close(new InvalidOperationException("stopped"));

        Assert.Equal("stopped", (await Assert.ThrowsAsync<InvalidOperationException>(() => waiting)).Message);
        await Assert.ThrowsAsync<InvalidOperationException>(() => buffer.WaitForRoomAsync(CancellationToken.None));
    }

    [Fact]
    public void Append_PastTheBoundAndDelivered_DropsTheOldestDeliveredOnly()
    {
        var buffer = new QueueBuffer(0, new SpreadStreamOptions { RetentionCount = 2 }, TimeProvider.System);
        buffer.Append(At(1), Body);
        buffer.Append(At(2), Body);
        buffer.Append(At(3), Body);
        Assert.Equal(3, buffer.Count);

        buffer.SetWatermark(At(2));

        Assert.Equal(At(2), buffer.Oldest);
        Assert.Equal(1, buffer.PendingCount);
    }

    [Fact]
    public void DeliveredUpTo_CursorCaughtUpOrBehind_NullOrJustBeforeItsBatch()
    {
        // The agent moves cursors through MoveNextWithResult, whose default calls MoveNext, the member the cache implements.
#pragma warning disable CS0618
        var cache = new SpreadQueueCache(16);
        var stream = StreamId.Create("s", Guid.NewGuid());
        using var cursor = cache.GetCacheCursor(stream, null);
        Assert.Null(cache.LastAdded);

        cache.AddToCache([Batch(stream, 1), Batch(stream, 2)]);
        Assert.Equal(At(2), cache.LastAdded);
        Assert.True(cursor.MoveNext());

        // The cursor's current batch may still be in flight: delivered is what comes before it.
        Assert.Equal(new RingPosition(1, 0, int.MaxValue), cache.DeliveredUpTo());
        Assert.True(cursor.MoveNext());
        Assert.Equal(new RingPosition(1, 1, int.MaxValue), cache.DeliveredUpTo());
        Assert.False(cursor.MoveNext());
        Assert.Null(cache.DeliveredUpTo());
#pragma warning restore CS0618
    }

    private static RingPosition At(long sequence) => new(1, sequence, 0);

    private static SpreadBatchContainer Batch(StreamId stream, long sequence) =>
        new(stream, [new Item(0, (int)sequence)], null) { Token = At(sequence).ToToken() };
}
