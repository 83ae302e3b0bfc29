namespace SpreadNet.Ring.Verification.Groups;

/// <summary>Names of the group-layer properties, as they appear in violations.</summary>
public static class GroupProperty
{
    /// <summary>Entries after a session ended or vanished.</summary>
    public const string Log = "GroupLog";

    /// <summary>A message reaches a session once, as sent, only if the session is in a target group (or is the private target), never back to a self-discarding sender.</summary>
    public const string Delivery = "GroupDelivery";

    /// <summary>Per session, messages in growing total-order positions; one position one message; per sender, send order.</summary>
    public const string Order = "GroupOrder";

    /// <summary>A view is well formed: sorted members, the receiver in it, changes matching the previous view and the reason.</summary>
    public const string ViewShape = "GroupViewShape";

    /// <summary>Members installing the same view (by id) see the same members and reason.</summary>
    public const string ViewAgreement = "GroupViewAgreement";

    /// <summary>Views common to two members are installed in the same order by both.</summary>
    public const string ViewOrder = "GroupViewOrder";

    /// <summary>Members that install the same view deliver the same messages in it if they install the same next view; otherwise one's are a prefix of the other's.</summary>
    public const string VirtualSynchrony = "GroupVirtualSynchrony";

    /// <summary>A Safe message delivered in a regular view reaches every member of that view that does not crash.</summary>
    public const string SafeDelivery = "GroupSafeDelivery";

    /// <summary>Joins and leaves complete as asked; ended sessions end.</summary>
    public const string Requests = "GroupRequests";

    /// <summary>Once the run settles, the live members of each group share one final view of exactly them.</summary>
    public const string FinalViews = "GroupFinalViews";
}
