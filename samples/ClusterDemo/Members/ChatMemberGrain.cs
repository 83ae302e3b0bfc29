using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Streams;
using SpreadNet.Interfaces;
using SpreadNet.RingSilo;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// The member of one silo, placed on it (<see cref="HomeSiloPlacementAttribute"/>); its record is
/// the silo's <see cref="MemberLog"/>, so a new activation on the same silo (Orleans deactivates
/// grains whose directory entries were held by a silo that left) goes on with it. When its silo
/// dies, Orleans may activate it on another silo to deliver an event to its old subscription: that
/// activation ends the subscription, since the member of a dead silo has nothing more to see, and
/// stays as an empty stand-in (events still in flight to it are dropped there instead of being
/// retried; deactivating it at once would make the pulling agent retry them against a new
/// activation for up to a minute).
/// <para>
/// Its group membership is its silo's: it joins <see cref="Chat.Group"/> once and stays until the
/// silo stops (the others then see it go with Disconnect, or Network after a crash). It implements
/// <see cref="IGroupMember"/> itself rather than deriving from <c>GroupMemberGrain</c>, which leaves
/// its groups on deactivation: Orleans may deactivate it at any time (a silo holding its directory
/// entry leaves), and the next delivery just activates it again on its silo, with the same record.
/// </para>
/// </summary>
[KeepAlive]
[HomeSiloPlacement]
public sealed class ChatMemberGrain(ILocalSiloDetails silo, MemberLog log, IServiceProvider services) : Grain, IChatMemberGrain
{
    private StreamSubscriptionHandle<ChatLine>? _subscription;

    private bool IsHome => this.GetPrimaryKeyString() == silo.SiloAddress.ToParsableString();

    private IGroupGrain Group => GrainFactory.GetGroup(Chat.Group, Chat.GroupRing);

    private IAsyncStream<ChatLine> Stream => this.GetStreamProvider(Chat.Provider).GetStream<ChatLine>(Chat.Stream);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var handles = await Stream.GetAllSubscriptionHandles();
        if (!IsHome)
        {
            foreach (var handle in handles)
            {
                await handle.UnsubscribeAsync();
            }

            return;
        }

        // Reactivated on its own silo: the subscription goes on where the record stopped (or is
        // made again, if the pub-sub store lost it with a silo).
        foreach (var handle in handles)
        {
            _subscription = await handle.ResumeAsync(OnNextAsync, log.LastToken);
        }

        if (_subscription is null && log.Subscribed)
        {
            await SubscribeFromLastAsync();
        }

        this.RegisterGrainTimer(CheckSubscriptionAsync, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public async Task StartAsync()
    {
        EnsureHome();
        _subscription ??= await Stream.SubscribeAsync(OnNextAsync);
        log.Subscribed = true;
        if (log.Member is null)
        {
            // Recorded before the join: the join's view, the first delivery, names this member.
            log.Member = this.GetGrainId().ToString();
            try
            {
                await Group.JoinAsync(this.AsReference<IGroupMember>());
            }
            catch
            {
                log.Member = null; // not joined: the next StartAsync tries again
                throw;
            }
        }
    }

    public Task NoticeAsync(ChatNotice notice)
    {
        EnsureHome();
        return Group.MulticastAsync(notice, GroupServiceType.Agreed, this.AsReference<IGroupMember>());
    }

    public Task OnGroupViewAsync(GroupViewInfo view)
    {
        if (IsHome)
        {
            log.Add(view);
        }

        return Task.CompletedTask;
    }

    public Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        if (IsHome)
        {
            log.Add(message);
        }

        return Task.CompletedTask;
    }

    public async Task ResubscribeAsync()
    {
        EnsureHome();
        foreach (var handle in await Stream.GetAllSubscriptionHandles())
        {
            await handle.UnsubscribeAsync();
        }

        _subscription = null;
        await SubscribeFromLastAsync();
    }

    public Task PostAsync(ChatLine line)
    {
        EnsureHome();
        return Stream.OnNextAsync(line);
    }

    public Task<MemberReport> GetReportAsync()
    {
        EnsureHome();
        var ring = services.GetRequiredService<ISpreadRings>().GetRing(SpreadStreamOptions.DefaultRingName);
        var members = ring.IsRunning && ring.Node.Configuration is { } configuration
            ? configuration.Members.Select(m => m.ToString()).ToList()
            : [];
        return Task.FromResult(log.Report(silo.SiloAddress.ToParsableString(), members));
    }

    /// <summary>
    /// Explicit subscriptions live in the pub-sub store ("PubSubStore"): with Orleans' memory storage
    /// (the --silo processes with development clustering), the subscriptions it held on a silo that
    /// dies are gone; the in-process demo's shared store and Redis keep them. A member that finds its subscription gone
    /// subscribes again from the last position it applied (the provider is rewindable), so it
    /// misses nothing.
    /// </summary>
    private async Task CheckSubscriptionAsync(CancellationToken cancellationToken)
    {
        if (!log.Subscribed)
        {
            return;
        }

        var handles = await Stream.GetAllSubscriptionHandles();
        if (handles.Count == 0)
        {
            await SubscribeFromLastAsync();
        }
    }

    private async Task SubscribeFromLastAsync()
    {
        _subscription = log.LastToken is { } last
            ? await Stream.SubscribeAsync(OnNextAsync, last)
            : await Stream.SubscribeAsync(OnNextAsync);
        log.NoteResubscribed();
    }

    private Task OnNextAsync(ChatLine line, StreamSequenceToken? token)
    {
        log.Apply((SpreadSequenceToken)token!, line);
        return Task.CompletedTask;
    }

    private void EnsureHome()
    {
        if (!IsHome)
        {
            throw new InvalidOperationException($"The member of silo {this.GetPrimaryKeyString()} is not on its silo (it is on {silo.SiloAddress}): that silo is gone.");
        }
    }
}
