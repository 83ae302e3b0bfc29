using Orleans;
using Orleans.Runtime;

namespace SpreadNet.RingSilo.Tests;

/// <summary>
/// Holds every silo of a cluster before it becomes active until all have started their rings, so
/// that none is active when another compares ring settings at start: the ring's own settings
/// check at runtime is then what meets the difference.
/// </summary>
internal sealed class RingStartBarrier(int silos)
{
    private readonly TaskCompletionSource _allStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting = silos;

    public ILifecycleParticipant<ISiloLifecycle> ForSilo() => new Participant(this);

    private sealed class Participant(RingStartBarrier barrier) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle)
        {
            lifecycle.Subscribe("RingStarted", SpreadRing.LifecycleStage + 1, _ =>
            {
                if (Interlocked.Decrement(ref barrier._waiting) == 0)
                {
                    barrier._allStarted.TrySetResult();
                }

                return Task.CompletedTask;
            });
            lifecycle.Subscribe("AllRingsStarted", ServiceLifecycleStage.ValidateInitialConnectivity - 1, cancellationToken =>
                barrier._allStarted.Task.WaitAsync(RingCluster.Timeout, cancellationToken));
        }
    }
}
