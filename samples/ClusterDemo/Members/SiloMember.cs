using Microsoft.Extensions.Hosting;
using Orleans.Runtime;
using SpreadNet.RingSilo;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// Starts this silo's member once the silo is active: its group session (views) and its member
/// grain (the stream subscription), which <see cref="HomeSiloPlacement"/> puts on this silo.
/// </summary>
internal sealed class SiloMember(IGrainFactory grains, ILocalSiloDetails silo, ISpreadRings rings, MemberLog log) : IHostedService, IAsyncDisposable
{
    private readonly RingSessionViews _views = new(rings, log);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _views.StartAsync(cancellationToken);
        await grains.GetGrain<IChatMemberGrain>(silo.SiloAddress.ToParsableString()).StartAsync();
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _views.DisposeAsync();

    public ValueTask DisposeAsync() => _views.DisposeAsync();
}
