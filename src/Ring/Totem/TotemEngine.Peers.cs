namespace SpreadNet.Ring.Totem;

/// <summary>
/// Peers handed in from outside (a host that knows which nodes should form the ring, as an
/// Orleans silo does from cluster membership): they replace the nodes this node knows of, so that
/// merge detection reaches new nodes at once and stops announcing to nodes that are gone.
/// </summary>
public sealed partial class TotemEngine
{
    /// <summary>
    /// Makes <paramref name="peers"/> the nodes this node knows of outside its ring. Nodes new to
    /// it hear from it at once (a merge-detect announcement when operational, a join while
    /// gathering), so a node that appears merges without waiting for the merge-detect interval.
    /// Nodes no longer listed are forgotten: merge detection stops announcing to them and their
    /// bookkeeping is dropped unless they are in the ring or the gather. A node heard later is
    /// known again, as always. Before the engine starts, the peers only become known.
    /// </summary>
    public void UpdatePeers(IEnumerable<NodeId> peers, long now)
    {
        ArgumentNullException.ThrowIfNull(peers);
        _ = now;
        var listed = new HashSet<NodeId>();
        foreach (var peer in peers)
        {
            if (peer != _self && !peer.IsNone && listed.Count < MaxKnownNodes)
            {
                listed.Add(peer);
            }
        }

        foreach (var gone in _known.Where(node => !listed.Contains(node)).ToArray())
        {
            _known.Remove(gone);
            if (!IsInRingOrGather(gone))
            {
                ForgetBookkeeping(gone);
            }
        }

        var added = new List<NodeId>();
        foreach (var peer in listed)
        {
            if (_known.Add(peer) && !IsInRingOrGather(peer))
            {
                added.Add(peer);
            }
        }

        if (added.Count > 0 && _started)
        {
            Announce(added);
        }
    }

    private void Announce(List<NodeId> added)
    {
        switch (_state)
        {
            case MembershipState.Operational:
                var datagram = WriteMergeDetect();
                foreach (var node in added)
                {
                    _host.Send(node, datagram);
                }

                break;
            case MembershipState.Gather:
                // As with the seeds at start: the new nodes join this gather instead of forming apart.
                SendJoin(added);
                break;
            default:
                // Commit, recovery: the ring being formed announces itself by merge detection once installed.
                break;
        }
    }

    private bool IsInRingOrGather(NodeId node) =>
        (_ring?.IsMember(node) ?? false)
        || (_state != MembershipState.Operational && _procSet.Contains(node))
        || (_forming?.IsMember(node) ?? false);

    /// <summary>The per-node maps are bounded; a node gone for good must not keep its place in them.</summary>
    private void ForgetBookkeeping(NodeId node)
    {
        _lastHeard.Remove(node);
        _latestJoinSequence.Remove(node);
        _mergeBackoff.Remove(node);
        _oneWaySuspects.Remove(node);
        _lastMismatchReply.Remove(node);
        _reportedVersions.Remove(node);
        _reportedSettings.RemoveWhere(entry => entry.Item1 == node);
    }
}
