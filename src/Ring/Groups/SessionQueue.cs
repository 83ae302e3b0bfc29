using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;

namespace SpreadNet.Ring.Groups;

/// <summary>
/// A session's receive queue: written by the node's thread, read by the application. Counts what
/// waits (events and payload bytes) so the session can enforce its limits without a bounded
/// channel, which would have to block the ring.
/// </summary>
internal sealed class SessionQueue : ChannelReader<SessionEvent>
{
    private readonly Channel<SessionEvent> _channel = Channel.CreateUnbounded<SessionEvent>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
        AllowSynchronousContinuations = false,
    });

    private int _count;
    private long _bytes;

    public int QueuedMessages => Volatile.Read(ref _count);

    public long QueuedBytes => Volatile.Read(ref _bytes);

    public override Task Completion => _channel.Reader.Completion;

    public override bool CanCount => true;

    public override int Count => QueuedMessages;

    public bool TryWrite(in SessionEvent item)
    {
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _bytes, item.Message.PayloadLength);
        if (_channel.Writer.TryWrite(item))
        {
            return true;
        }

        Taken(item);
        return false;
    }

    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);

    public override bool TryRead([MaybeNullWhen(false)] out SessionEvent item)
    {
        if (_channel.Reader.TryRead(out item))
        {
            Taken(item);
            return true;
        }

        return false;
    }

    public override bool TryPeek([MaybeNullWhen(false)] out SessionEvent item) => _channel.Reader.TryPeek(out item);

    public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    private void Taken(in SessionEvent item)
    {
        Interlocked.Decrement(ref _count);
        Interlocked.Add(ref _bytes, -item.Message.PayloadLength);
    }
}
