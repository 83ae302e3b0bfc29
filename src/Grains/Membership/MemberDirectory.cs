using SpreadNet.Interfaces;

namespace SpreadNet.Grains.Membership;

/// <summary>
/// The identities of the ring sessions of the group service on every silo, by ring name, as read
/// from the directory group. A member announces itself before it joins, through the same ring
/// session, so the announcement is ordered before the member's first view everywhere; deliveries
/// wait (bounded) only for the directory's reader to catch up, or, at a silo that joined the ring
/// later, for the re-announcement. Departed members are kept for a while: views naming them as
/// left may still be on their way to members.
/// </summary>
internal sealed class MemberDirectory(TimeProvider time, TimeSpan identityTimeout, TimeSpan departedRetention)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource<GroupMemberInfo>> _waiters = new(StringComparer.Ordinal);

    /// <summary>Members known, departed ones included.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public void Add(IEnumerable<GroupMemberInfo> members)
    {
        List<(TaskCompletionSource<GroupMemberInfo>, GroupMemberInfo)>? ready = null;
        lock (_lock)
        {
            Purge();
            foreach (var member in members)
            {
                _entries[member.Name] = new Entry(member, null);
                if (_waiters.Remove(member.Name, out var waiter))
                {
                    (ready ??= []).Add((waiter, member));
                }
            }
        }

        // Completed outside the lock: continuations run asynchronously anyway, but keep the lock short.
        foreach (var (waiter, member) in ready ?? [])
        {
            waiter.TrySetResult(member);
        }
    }

    public void Depart(IEnumerable<string> names)
    {
        lock (_lock)
        {
            long now = time.GetTimestamp();
            foreach (string name in names)
            {
                if (_entries.TryGetValue(name, out var entry) && entry.DepartedAt is null)
                {
                    _entries[name] = entry with { DepartedAt = now };
                }
            }
        }
    }

    /// <summary>Marks every member of a ring node departed (the node left the ring configuration).</summary>
    public void DepartNode(string nodeSuffix)
    {
        List<string> names;
        lock (_lock)
        {
            names = [.. _entries.Keys.Where(name => name.EndsWith(nodeSuffix, StringComparison.Ordinal))];
        }

        Depart(names);
    }

    /// <summary>The member of a ring name; waits up to the identity timeout for its announcement, then null.</summary>
    public async ValueTask<GroupMemberInfo?> ResolveAsync(string name, CancellationToken cancellationToken)
    {
        Task<GroupMemberInfo> pending;
        lock (_lock)
        {
            if (_entries.TryGetValue(name, out var entry))
            {
                return entry.Member;
            }

            if (!_waiters.TryGetValue(name, out var waiter))
            {
                waiter = new TaskCompletionSource<GroupMemberInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
                _waiters[name] = waiter;
            }

            pending = waiter.Task;
        }

        try
        {
            return await pending.WaitAsync(identityTimeout, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    private void Purge()
    {
        long now = time.GetTimestamp();
        List<string>? expired = null;
        foreach (var (name, entry) in _entries)
        {
            if (entry.DepartedAt is { } at && time.GetElapsedTime(at, now) > departedRetention)
            {
                (expired ??= []).Add(name);
            }
        }

        foreach (string name in expired ?? [])
        {
            _entries.Remove(name);
        }
    }

    private readonly record struct Entry(GroupMemberInfo Member, long? DepartedAt);
}
