using Orleans.Runtime;
using Orleans.Streams;
using SpreadNet.StreamProvider.Providers;

namespace SpreadNet.StreamProvider.Tests;

// The agent moves cursors through MoveNextWithResult, whose default calls MoveNext, the member the cache implements.
#pragma warning disable CS0618
public sealed class SpreadQueueCacheTests
{
    private static readonly StreamId Stream = StreamId.Create("s", Guid.NewGuid());
    private static readonly StreamId Other = StreamId.Create("o", Guid.NewGuid());

    [Fact]
    public void MoveNext_DeliveryBatchSize3_MergesTheStreamsFollowingBatchesUpToThreeEventsAndKeepsTheWatermarkAtTheFirst()
    {
        var cache = new SpreadQueueCache(64, deliveryBatchSize: 3);
        using var cursor = cache.GetCacheCursor(Stream, null);
        cache.AddToCache([Batch(Stream, 1), Batch(Other, 2), Batch(Stream, 3), Batch(Stream, 4, events: 2), Batch(Stream, 5), Batch(Stream, 6)]);

        Assert.True(cursor.MoveNext());
        var first = Assert.IsType<SpreadMergedBatch>(cursor.GetCurrent(out _));
        Assert.Equal([At(1), At(3)], first.BatchContainers.Select(b => Position(b.SequenceToken)));
        Assert.Equal(At(3).ToToken(), first.SequenceToken);
        Assert.Equal([(1, At(1).ToToken()), (3, At(3).ToToken())], first.GetEvents<Item>().Select(e => (e.Item1.Value, (StreamSequenceToken)e.Item2)));
        Assert.Equal(new RingPosition(1, 0, int.MaxValue), cache.DeliveredUpTo());

        Assert.True(cursor.MoveNext());
        var second = Assert.IsType<SpreadMergedBatch>(cursor.GetCurrent(out _));
        Assert.Equal([At(4).ToToken(0), At(4).ToToken(1), At(5).ToToken()], second.GetEvents<Item>().Select(e => e.Item2));
        Assert.Equal(new RingPosition(1, 3, int.MaxValue), cache.DeliveredUpTo());

        // Nothing cached after the last one: it goes out as it is, without waiting.
        Assert.True(cursor.MoveNext());
        Assert.IsType<SpreadBatchContainer>(cursor.GetCurrent(out _));
        Assert.Equal(new RingPosition(1, 5, int.MaxValue), cache.DeliveredUpTo());
        Assert.False(cursor.MoveNext());
        Assert.Null(cache.DeliveredUpTo());
    }

    [Fact]
    public void MoveNext_CursorFromAToken_FirstBatchAloneThenMerged()
    {
        // Orleans' agent restarts a consumer's cursor at its delivered token and skips one batch: that must be the token's own batch only.
        var cache = new SpreadQueueCache(64, deliveryBatchSize: 8);
        cache.AddToCache([Batch(Stream, 1), Batch(Stream, 2), Batch(Stream, 3), Batch(Stream, 4)]);
        using var cursor = cache.GetCacheCursor(Stream, At(2).ToToken());

        Assert.True(cursor.MoveNext());
        Assert.Equal(At(2).ToToken(), Assert.IsType<SpreadBatchContainer>(cursor.GetCurrent(out _)).SequenceToken);
        Assert.True(cursor.MoveNext());
        Assert.Equal([At(3), At(4)], Assert.IsType<SpreadMergedBatch>(cursor.GetCurrent(out _)).BatchContainers.Select(b => Position(b.SequenceToken)));
        Assert.False(cursor.MoveNext());
    }

    [Fact]
    public void MoveNext_DeliveryBatchSize1_OneBatchAtATime()
    {
        var cache = new SpreadQueueCache(64);
        using var cursor = cache.GetCacheCursor(Stream, null);
        cache.AddToCache([Batch(Stream, 1), Batch(Stream, 2)]);

        Assert.True(cursor.MoveNext());
        Assert.Equal(At(1).ToToken(), Assert.IsType<SpreadBatchContainer>(cursor.GetCurrent(out _)).SequenceToken);
        Assert.True(cursor.MoveNext());
        Assert.Equal(At(2).ToToken(), Assert.IsType<SpreadBatchContainer>(cursor.GetCurrent(out _)).SequenceToken);
        Assert.False(cursor.MoveNext());
    }

    private static RingPosition At(long sequence) => new(1, sequence, 0);

    private static RingPosition Position(StreamSequenceToken token) => ((SpreadSequenceToken)token).Position;

    private static SpreadBatchContainer Batch(StreamId stream, long sequence, int events = 1) =>
        new(stream, [.. Enumerable.Range(0, events).Select(i => (object)new Item(0, (int)sequence + i))], null) { Token = At(sequence).ToToken() };
}
#pragma warning restore CS0618
