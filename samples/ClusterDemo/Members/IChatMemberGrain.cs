namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// A silo's member of the chat: keyed by its silo's address (<c>SiloAddress.ToParsableString()</c>,
/// unique per silo incarnation) and activated there. It subscribes to the chat stream, applies
/// lines in the stream's order, posts lines from its silo and reports what it saw.
/// </summary>
public interface IChatMemberGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to the chat stream (once; later calls do nothing).</summary>
    Task StartAsync();

    /// <summary>Posts a line from this silo; completes once the ring has ordered it.</summary>
    Task PostAsync(ChatLine line);

    /// <summary>Ends the member's subscription and subscribes again from the last line it applied.</summary>
    Task ResubscribeAsync();

    /// <summary>What this silo's member saw so far.</summary>
    Task<MemberReport> GetReportAsync();
}
