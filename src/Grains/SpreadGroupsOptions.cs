namespace SpreadNet.Grains;

/// <summary>Settings of the group service of one ring (<c>AddSpreadGroups</c>), per silo.</summary>
public sealed class SpreadGroupsOptions
{
    /// <summary>
    /// Most events (messages and views) queued for one member before it is removed from its groups
    /// (reason Disconnect) for falling behind. Default 10,000.
    /// </summary>
    public int MaxQueuedEvents { get; set; } = 10_000;

    /// <summary>Most payload bytes queued for one member before it is removed for falling behind. Default 64 MiB.</summary>
    public long MaxQueuedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// How long a delivery waits for the announcement of a member it has not heard of (normally the
    /// announcement is ordered before the member's join and is already there). Past it, the member
    /// is named by its ring name only. Default 5 seconds.
    /// </summary>
    public TimeSpan IdentityTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a delivery to a client's member object may take before the client is taken for gone
    /// and removed from its groups (reason Disconnect). A client that left is otherwise found only
    /// when Orleans gives up on the call. Default 30 seconds (Orleans' response timeout).
    /// </summary>
    public TimeSpan ClientResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the identity of a departed member is kept for views still to be delivered. Default 1 minute.</summary>
    public TimeSpan DepartedRetention { get; set; } = TimeSpan.FromMinutes(1);
}
