using SpreadNet.Ring.Groups;
using SpreadNet.RingSilo;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// Group membership of this silo's member: a session on the silo's ring joins group
/// <see cref="Chat.Group"/> and records every view it gets (Join, Leave, Disconnect, Network;
/// transitional views first when the ring changes). Every member gets the same views in the same
/// order. This is where the group grains (<c>IGroupGrain.JoinAsync</c> with an <c>IGroupMember</c>
/// observer receiving <c>OnGroupViewAsync</c>) will take over; the record and the check stay.
/// </summary>
internal sealed class RingSessionViews(ISpreadRings rings, MemberLog log) : IAsyncDisposable
{
    private RingSession? _session;
    private Task? _reader;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var ring = rings.GetRing(SpreadStreamOptions.DefaultRingName);
        _session = ring.Node.OpenSession(log.Silo);
        _reader = ReadAsync(_session);
        await _session.JoinAsync(Chat.Group, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _session, null) is { } session)
        {
            await session.DisposeAsync();
        }

        if (Interlocked.Exchange(ref _reader, null) is { } reader)
        {
            await reader;
        }
    }

    private async Task ReadAsync(RingSession session)
    {
        try
        {
            await foreach (var item in session.ReadAllAsync())
            {
                using (item)
                {
                    if (item.Kind == SessionEventKind.View && item.View!.Kind != GroupViewKind.SelfLeave)
                    {
                        var view = item.View;
                        log.AddView(new ViewRecord(view.Id.ToString(), view.Kind.ToString(), view.Reason.ToString(), [.. view.Members.Select(m => m.SessionName)]));
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SessionOverflowException or ObjectDisposedException)
        {
            // The session ended with the silo.
        }
    }
}
