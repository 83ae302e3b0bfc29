using SpreadNet.Ring.Groups;

namespace SpreadNet.Benchmarks;

/// <summary>
/// Reads one session's events as an application would: drains what is queued with TryRead, then
/// waits with WaitToReadAsync, and disposes every event (a message's payload is a slice of the
/// ring's pooled receive buffer until then). Messages go to the node's <see cref="DeliveryProbe"/>.
/// A message without payload is the stop signal (see <see cref="RingCluster"/>): the reader
/// returns on it, so that it is gone before the session is disposed, which drains unread events
/// itself and must not race a second reader.
/// </summary>
internal static class SessionReader
{
    public static async Task RunAsync(RingSession session, DeliveryProbe probe, ReaderGate gate)
    {
        try
        {
            await ReadAsync(session.Events, probe, gate).ConfigureAwait(false);
        }
        catch (SessionOverflowException ex)
        {
            // The order check fails too (this node delivered less): say why.
            Console.Error.WriteLine($"Reader of {session.Name} evicted: {ex.Message}");
        }
    }

    private static async Task ReadAsync(System.Threading.Channels.ChannelReader<SessionEvent> events, DeliveryProbe probe, ReaderGate gate)
    {
        // No cancellation token: a cancellable wait allocates a waiter each time, an uncancellable
        // one reuses the channel's single waiter. The reader ends on the stop message or when the
        // session ends.
        while (await events.WaitToReadAsync().ConfigureAwait(false))
        {
            if (gate.IsPaused)
            {
                await gate.WhenOpen.ConfigureAwait(false);
            }

            while (!gate.IsPaused && events.TryRead(out var item))
            {
                using (item)
                {
                    if (item.Kind != SessionEventKind.Message)
                    {
                        continue;
                    }

                    if (item.Message.PayloadLength == 0)
                    {
                        return;
                    }

                    probe.Record(item.Message.Payload.Span);
                }
            }
        }
    }
}

/// <summary>Lets the benchmark hold every session reader back for a while (see <see cref="RingCluster.PrimeAsync"/>).</summary>
internal sealed class ReaderGate
{
    private volatile TaskCompletionSource? _paused;

    public bool IsPaused => _paused is not null;

    public Task WhenOpen => _paused?.Task ?? Task.CompletedTask;

    public void Pause() => _paused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => Interlocked.Exchange(ref _paused, null)?.TrySetResult();
}
