namespace SpreadNet.Ring.Totem;

/// <summary>
/// How many new packets a node may send at a token visit: corosync's fcc rule. The window bounds
/// what the whole ring sends per rotation; each node gets a share proportional to its backlog,
/// so a busy node cannot starve the others; a visit never exceeds its own maximum; and nobody
/// sends so far ahead of the slowest member that its receive window would overflow.
/// </summary>
internal static class FlowControl
{
    public static int AllowedNewPackets(
        TotemSettings settings,
        int tokenFcc,
        int tokenBacklog,
        int myBacklog,
        int myBacklogLastVisit,
        int retransmittedThisVisit,
        long tokenSeq,
        long tokenAru)
    {
        if (myBacklog == 0)
        {
            return 0;
        }

        int allowed = Math.Min(settings.MaxPacketsPerVisit, settings.WindowSize - tokenFcc);
        long totalBacklog = (long)tokenBacklog + myBacklog - myBacklogLastVisit;
        if (totalBacklog > myBacklog)
        {
            int share = (int)Math.Max(1, settings.WindowSize * (long)myBacklog / totalBacklog);
            allowed = Math.Min(allowed, share);
        }

        allowed -= retransmittedThisVisit;
        long aheadLimit = tokenAru + (settings.ReceiveWindow / 2) - tokenSeq;
        allowed = (int)Math.Min(allowed, aheadLimit);
        return Math.Max(0, Math.Min(allowed, myBacklog));
    }
}
