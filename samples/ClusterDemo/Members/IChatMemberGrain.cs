using SpreadNet.Interfaces;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// A silo's member of the chat: keyed by its silo's address (<c>SiloAddress.ToParsableString()</c>,
/// unique per silo incarnation) and activated there. It subscribes to the chat stream and applies
/// lines in the stream's order, is a member of the group <see cref="Chat.Group"/> (its views and
/// notices), posts lines and notices from its silo and reports what it saw.
/// </summary>
public interface IChatMemberGrain : IGroupMember, IGrainWithStringKey
{
    /// <summary>Subscribes to the chat stream and joins the group (once; later calls do nothing).</summary>
    Task StartAsync();

    /// <summary>Posts a line from this silo; completes once the ring has ordered it.</summary>
    Task PostAsync(ChatLine line);

    /// <summary>Multicasts a notice to the group as this member.</summary>
    Task NoticeAsync(ChatNotice notice);

    /// <summary>Ends the member's subscription and subscribes again from the last line it applied.</summary>
    Task ResubscribeAsync();

    /// <summary>What this silo's member saw so far.</summary>
    Task<MemberReport> GetReportAsync();
}
