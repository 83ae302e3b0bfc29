using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using SpreadNet.Interfaces;
using SpreadNet.Ring;
using SpreadNet.Ring.Groups;

namespace SpreadNet.Grains.Membership;

/// <summary>
/// Delivery to members: one pump per member reads its session and awaits each call before the
/// next, so a member sees its groups' views and messages in ring order, as every other member does.
/// </summary>
internal sealed partial class GroupRing
{
    /// <summary>The last ring configuration id and its text: formatted once per configuration, not once per delivery.</summary>
    private RingIdText? _ringText;

    private async Task PumpAsync(MemberSession entry)
    {
        try
        {
            await foreach (var item in entry.Session.ReadAllAsync().ConfigureAwait(false))
            {
                using (item)
                {
                    if (!entry.Delivering)
                    {
                        continue; // drained, not delivered: the member is gone
                    }

                    if (!await DeliverAsync(entry, item).ConfigureAwait(false))
                    {
                        Log.MemberUnreachable(_log, RingName, entry.Id);
                        _ = RemoveAsync(entry);
                    }
                }
            }
        }
        catch (SessionOverflowException ex)
        {
            Log.SessionEnded(_log, ex, RingName, entry.Id);
        }
        finally
        {
            entry.Silence();
            if (entry.MarkEnded())
            {
                // Ended by the ring (it stopped, or the member fell behind), not by us.
                _members.TryRemove(new KeyValuePair<GrainId, MemberSession>(entry.Id, entry));
                await AnnounceAsync(departed: true, [entry.Info]).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Hands one event to the member; false when the member (a client) can no longer be reached.</summary>
    /// <remarks>Pooled: it runs once per event and member, and the pump awaits each before the next.</remarks>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<bool> DeliverAsync(MemberSession entry, SessionEvent item)
    {
        try
        {
            if (item.Kind == SessionEventKind.View)
            {
                var view = await ToViewAsync(item.View!).ConfigureAwait(false);
                await Bounded(entry, entry.Member.OnGroupViewAsync(view)).ConfigureAwait(false);
            }
            else if (await ToMessageAsync(item.Message).ConfigureAwait(false) is { } message)
            {
                await Bounded(entry, entry.Member.OnGroupMessageAsync(message)).ConfigureAwait(false);
            }

            return true;
        }
        catch (Exception ex) when (entry.IsClient && IsUnreachable(ex))
        {
            return false;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.DeliveryFailed(_log, ex, RingName, entry.Id);
            return true;
        }
    }

    /// <summary>A client's call is bounded by <see cref="SpreadGroupsOptions.ClientResponseTimeout"/>; a grain's by Orleans alone.</summary>
    private Task Bounded(MemberSession entry, Task call) =>
        entry.IsClient ? call.WaitAsync(_options.ClientResponseTimeout) : call;

    private static bool IsUnreachable(Exception ex) =>
        ex is ClientNotAvailableException or OrleansMessageRejectionException or TimeoutException or SiloUnavailableException;

    private async ValueTask<GroupViewInfo> ToViewAsync(GroupView view) => new()
    {
        Group = view.Group,
        Ring = RingName,
        Id = new GroupPosition(RingText(view.Id.Ring), view.Id.Sequence, view.Id.Index),
        Kind = (Interfaces.GroupViewKind)view.Kind,
        Reason = (GroupChangeReason)view.Reason,
        Members = await ResolveAsync(view.Members).ConfigureAwait(false),
        Joined = await ResolveAsync(view.Joined).ConfigureAwait(false),
        Left = await ResolveAsync(view.Left).ConfigureAwait(false),
    };

    private async ValueTask<GroupMessageInfo?> ToMessageAsync(RingMessage message)
    {
        GroupEnvelope? envelope;
        try
        {
            // Deserialized before any await: the payload is a lease on the ring's buffer.
            envelope = _serializer.Deserialize<GroupEnvelope?>(message.Payload.Span)
                ?? throw new InvalidDataException("The message carries no group envelope.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Log.PayloadUnreadable(_log, ex, RingName, message.Sender.Name);
            return null;
        }
        finally
        {
            // The ring's buffer goes back now, not after the member's call (disposing twice is harmless).
            message.Dispose();
        }

        var sender = await ResolveAsync(message.Sender).ConfigureAwait(false);
        if (envelope.Sender is { } claimed && sender.Member != claimed)
        {
            sender = sender with { Member = claimed };
        }

        return new GroupMessageInfo
        {
            Group = message.Groups[0],
            Ring = RingName,
            Sender = sender,
            Service = (GroupServiceType)message.Service,
            Position = new GroupPosition(RingText(message.Position.Ring), message.Position.Sequence, message.Position.Index),
            Payload = envelope.Payload,
        };
    }

    /// <summary>The text of <paramref name="ring"/>; the pumps of all members share the last one.</summary>
    private string RingText(RingId ring)
    {
        if (Volatile.Read(ref _ringText) is { } last && last.Id == ring)
        {
            return last.Text;
        }

        var text = new RingIdText(ring, ring.ToString());
        Volatile.Write(ref _ringText, text);
        return text.Text;
    }

    private async ValueTask<GroupMemberInfo[]> ResolveAsync(IReadOnlyList<GroupMember> members)
    {
        if (members.Count == 0)
        {
            return [];
        }

        var infos = new GroupMemberInfo[members.Count];
        for (int i = 0; i < infos.Length; i++)
        {
            infos[i] = await ResolveAsync(members[i]).ConfigureAwait(false);
        }

        return infos;
    }

    private async ValueTask<GroupMemberInfo> ResolveAsync(GroupMember member)
    {
        if (await Directory.ResolveAsync(member.Name, _stopping.Token).ConfigureAwait(false) is { } known)
        {
            return known;
        }

        Log.IdentityUnknown(_log, RingName, member.Name);
        return new GroupMemberInfo(member.Name, null, null);
    }

    private sealed record RingIdText(RingId Id, string Text);

    private static partial class Log
    {
        [LoggerMessage(EventId = (int)GrainsLogEvent.Started, Level = LogLevel.Information, Message = "Spread groups run on ring '{Ring}' as session {Session}.")]
        public static partial void Started(ILogger logger, string ring, string session);

        [LoggerMessage(EventId = (int)GrainsLogEvent.DeliveryFailed, Level = LogLevel.Warning, Message = "Spread groups on ring '{Ring}': member {Member} threw on a delivery; it gets the next event.")]
        public static partial void DeliveryFailed(ILogger logger, Exception exception, string ring, GrainId member);

        [LoggerMessage(EventId = (int)GrainsLogEvent.MemberUnreachable, Level = LogLevel.Information, Message = "Spread groups on ring '{Ring}': client member {Member} cannot be reached; it leaves its groups (Disconnect).")]
        public static partial void MemberUnreachable(ILogger logger, string ring, GrainId member);

        [LoggerMessage(EventId = (int)GrainsLogEvent.SessionEnded, Level = LogLevel.Warning, Message = "Spread groups on ring '{Ring}': the ring session of member {Member} ended; it left its groups.")]
        public static partial void SessionEnded(ILogger logger, Exception exception, string ring, GrainId member);

        [LoggerMessage(EventId = (int)GrainsLogEvent.IdentityUnknown, Level = LogLevel.Warning, Message = "Spread groups on ring '{Ring}': no announcement of {Member} arrived in time; views name it by ring name only.")]
        public static partial void IdentityUnknown(ILogger logger, string ring, string member);

        [LoggerMessage(EventId = (int)GrainsLogEvent.DirectoryFailed, Level = LogLevel.Warning, Message = "Spread groups on ring '{Ring}': the directory session ended.")]
        public static partial void DirectoryFailed(ILogger logger, Exception exception, string ring);

        [LoggerMessage(EventId = (int)GrainsLogEvent.PayloadUnreadable, Level = LogLevel.Error, Message = "Spread groups on ring '{Ring}': a message from {Sender} could not be deserialized (a type this silo does not know?); it is skipped.")]
        public static partial void PayloadUnreadable(ILogger logger, Exception exception, string ring, string sender);
    }
}
