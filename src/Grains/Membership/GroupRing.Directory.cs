using Microsoft.Extensions.Logging;
using SpreadNet.Interfaces;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Grains.Membership;

/// <summary>The silo session: start, stop, and the reader of the member directory.</summary>
internal sealed partial class GroupRing
{
    private async Task StartAsync(CancellationToken cancellationToken)
    {
        var node = _ring.Node;
        var session = node.OpenSession(SiloSessionName);
        _siloInfo = new GroupMemberInfo(session.Member.Name, null, _silo);
        Directory.Add([_siloInfo]);
        await session.JoinAsync(DirectoryGroup, cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _siloSession, session);
        _ = Task.Run(() => ReadDirectoryAsync(session), CancellationToken.None); // ends with the session, when the ring stops
        await AnnounceAsync(departed: false, [_siloInfo]).ConfigureAwait(false);
        Log.Started(_log, RingName, session.Member.Name);
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        // Members are not ended here: the ring ends every session as it leaves, after this stage
        // (the others see them go), which also ends the pumps and the directory reader; a silo
        // that dies does not get this far either. Pumps stop calling members now: the silo's
        // grains are deactivating.
        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var entry in _members.Values)
        {
            entry.Silence();
        }
    }

    private async Task ReadDirectoryAsync(RingSession session)
    {
        try
        {
            await foreach (var item in session.ReadAllAsync().ConfigureAwait(false))
            {
                using (item)
                {
                    if (item.Kind == SessionEventKind.Message)
                    {
                        ReadAnnouncement(item.Message);
                    }
                    else if (item.View is { Group: DirectoryGroup } view)
                    {
                        await OnDirectoryViewAsync(view).ConfigureAwait(false);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is SessionOverflowException or ObjectDisposedException or InvalidOperationException)
        {
            Log.DirectoryFailed(_log, ex, RingName);
        }
    }

    private void ReadAnnouncement(in RingMessage message)
    {
        DirectoryAnnouncement? announcement;
        try
        {
            announcement = _serializer.Deserialize<DirectoryAnnouncement?>(message.Payload.Span)
                ?? throw new InvalidDataException("The directory message carries no announcement.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.PayloadUnreadable(_log, ex, RingName, message.Sender.Name);
            return;
        }

        if (announcement.Departed)
        {
            Directory.Depart(announcement.Members.Select(m => m.Name));
        }
        else
        {
            Directory.Add(announcement.Members);
        }
    }

    private async Task OnDirectoryViewAsync(GroupView view)
    {
        // Silos that left the configuration (or stopped) take their members with them.
        foreach (var left in view.Left)
        {
            Directory.DepartNode(NodeSuffix(left.Name));
        }

        // A silo that joined the ring (or merged back) has not heard of the members announced
        // before: announce them again. Its deliveries wait for this, bounded by IdentityTimeout.
        var self = _siloSession?.Member;
        if (view.Kind == Ring.Groups.GroupViewKind.Regular && view.Joined.Any(m => !m.Equals(self)) && _siloInfo is { } siloInfo)
        {
            GroupMemberInfo[] members = [siloInfo, .. _members.Values.Where(m => !m.Ended).Select(m => m.Info)];
            await AnnounceAsync(departed: false, members).ConfigureAwait(false);
        }
    }

    /// <summary>The <c>#node</c> end of a private name <c>#session#node</c>.</summary>
    private static string NodeSuffix(string privateName) => privateName[privateName.LastIndexOf('#')..];
}
