using Microsoft.Extensions.Hosting;
using Orleans.Runtime;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// Starts this silo's member grain once the silo is active (<see cref="HomeSiloPlacement"/> puts it
/// on this silo): it subscribes to the stream and joins the group.
/// </summary>
internal sealed class SiloMember(IGrainFactory grains, ILocalSiloDetails silo) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) =>
        grains.GetGrain<IChatMemberGrain>(silo.SiloAddress.ToParsableString()).StartAsync();

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
