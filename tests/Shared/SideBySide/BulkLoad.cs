using System.Buffers.Binary;
using System.Diagnostics;
using SpreadNet.Ring;

namespace SpreadNet.Testing.SideBySide;

/// <summary>
/// Saturates a ring: several submitters per node, each awaiting <see cref="RingNode.SubmitAsync"/>
/// in a loop, so the send queues stay full and the ring runs as fast as its flow control allows.
/// Each message carries the time it was first offered (Stopwatch ticks, first 8 bytes).
/// </summary>
internal sealed class BulkLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _submitters = [];
    private long _waits;
    private int _stopped;

    private BulkLoad()
    {
    }

    /// <summary>Submissions that found the send queue full and waited (backpressure).</summary>
    public long Waits => Interlocked.Read(ref _waits);

    public static BulkLoad Start(IEnumerable<RingNode> nodes, int submittersPerNode, int messageSize)
    {
        var load = new BulkLoad();
        foreach (var node in nodes)
        {
            for (int i = 0; i < submittersPerNode; i++)
            {
                load._submitters.Add(Task.Run(() => load.SubmitUntilStoppedAsync(node, messageSize)));
            }
        }

        return load;
    }

    /// <summary>Stops every submitter and waits for them; later calls do nothing.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        await Task.WhenAll(_submitters);
        _stop.Dispose();
    }

    private async Task SubmitUntilStoppedAsync(RingNode node, int messageSize)
    {
        var payload = new byte[messageSize];
        var token = _stop.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
                var submitted = node.SubmitAsync(payload, ServiceType.Agreed, token);
                if (!submitted.IsCompleted)
                {
                    Interlocked.Increment(ref _waits);
                }

                await submitted;
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for room.
        }
    }
}
