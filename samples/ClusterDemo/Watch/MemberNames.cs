namespace SpreadNet.Samples.ClusterDemo.Watch;

/// <summary>
/// Short names for members' grain identities on screen: the label of a member the demo knows (its
/// report carries its identity), otherwise a short form of the identity itself (a member of an
/// earlier silo incarnation or an earlier client run).
/// </summary>
internal sealed class MemberNames(IEnumerable<MemberSnapshot> members)
{
    private readonly Dictionary<string, string> _labels = members
        .Where(m => m.Report.Member is not null)
        .GroupBy(m => m.Report.Member!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);

    public string this[string identity] => _labels.TryGetValue(identity, out var label) ? label : Short(identity);

    /// <summary>"label = identity" for every member known, for a legend.</summary>
    public IEnumerable<string> Legend() => _labels.Select(p => $"{p.Value} = {p.Key}");

    /// <summary>A member grain's identity is "chatmember/host:port@generation": keep "member@port"; a client's, its last 6 characters.</summary>
    public static string Short(string identity)
    {
        int slash = identity.IndexOf('/', StringComparison.Ordinal);
        if (identity.StartsWith("chatmember/", StringComparison.Ordinal))
        {
            string key = identity[(slash + 1)..];
            int colon = key.LastIndexOf(':');
            int at = key.IndexOf('@', StringComparison.Ordinal);
            return colon >= 0 && at > colon ? $"member@{key[(colon + 1)..at]}" : identity;
        }

        return identity.Length > 6 ? $"~{identity[^6..]}" : identity;
    }
}
