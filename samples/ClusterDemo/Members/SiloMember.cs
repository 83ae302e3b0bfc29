using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Placement;
using SpreadNet.RingSilo;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// Starts this silo's member once the silo is active: its group session (views) and its member
/// grain (the stream subscription), placed on this silo.
/// </summary>
internal sealed class SiloMember(IGrainFactory grains, ILocalSiloDetails silo, ISpreadRings rings, MemberLog log) : IHostedService, IAsyncDisposable
{
    private readonly RingSessionViews _views = new(rings, log);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _views.StartAsync(cancellationToken);
        await OnSiloAsync(silo.SiloAddress, () => grains.GetGrain<IChatMemberGrain>(silo.SiloAddress.ToParsableString()).StartAsync());
    }

    /// <summary>
    /// A graceful stop ends the session (the others see reason Disconnect). A cancelled stop is the
    /// demo's stand-in for a crash: the session is left to go with the ring node, as a crashed
    /// silo's would (the others see reason Network).
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            await _views.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => _views.DisposeAsync();

    /// <summary>Runs a grain call with a placement hint: a grain it activates is placed on <paramref name="target"/>.</summary>
    public static async Task<T> OnSiloAsync<T>(SiloAddress target, Func<Task<T>> call)
    {
        RequestContext.Set(IPlacementDirector.PlacementHintKey, target);
        try
        {
            return await call();
        }
        finally
        {
            RequestContext.Remove(IPlacementDirector.PlacementHintKey);
        }
    }

    /// <inheritdoc cref="OnSiloAsync{T}(SiloAddress, Func{Task{T}})"/>
    public static Task OnSiloAsync(SiloAddress target, Func<Task> call) =>
        OnSiloAsync(target, async () =>
        {
            await call();
            return true;
        });
}
