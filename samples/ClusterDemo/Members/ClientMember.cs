using SpreadNet.Interfaces;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// The client's member of the group: an observer object (<c>CreateObjectReference</c>), registered
/// at the client's gateway silo when it joins. It is not on the stream; it records the group's
/// views and notices like the silos' members do, and sends the client author's notices.
/// </summary>
internal sealed class ClientMember : IGroupMember
{
    private readonly IClusterClient _client;
    private readonly IGroupMember _reference;

    public ClientMember(IClusterClient client, string author)
    {
        _client = client;
        Log = new MemberLog(author);
        _reference = client.CreateObjectReference<IGroupMember>(this);
        Log.Member = ((GrainReference)_reference).GrainId.ToString();
    }

    public MemberLog Log { get; }

    private IGroupGrain Group => _client.GetGroup(Chat.Group, Chat.GroupRing);

    /// <summary>Joins the group; completes once the join is ordered (its view may still be on its way).</summary>
    public Task JoinAsync() => Group.JoinAsync(_reference);

    /// <summary>Leaves the group: the others see reason Leave.</summary>
    public Task LeaveAsync() => Group.LeaveAsync(_reference);

    /// <summary>Multicasts a notice as this member.</summary>
    public Task NoticeAsync(ChatNotice notice) => Group.MulticastAsync(notice, GroupServiceType.Agreed, _reference);

    public Task OnGroupViewAsync(GroupViewInfo view)
    {
        Log.Add(view);
        return Task.CompletedTask;
    }

    public Task OnGroupMessageAsync(GroupMessageInfo message)
    {
        Log.Add(message);
        return Task.CompletedTask;
    }
}
