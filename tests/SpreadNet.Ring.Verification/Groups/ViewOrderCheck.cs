namespace SpreadNet.Ring.Verification.Groups;

/// <summary>Any two members install the views of a group they both install in the same order.</summary>
internal sealed class ViewOrderCheck(GroupContext context) : GroupCheck(context)
{
    public override void Finish(IReadOnlyCollection<SessionHistory> sessions, bool settled)
    {
        var groups = sessions.SelectMany(s => s.Items.Keys).Distinct(StringComparer.Ordinal).ToArray();
        foreach (string group in groups)
        {
            var sequences = sessions
                .Where(s => s.Items.ContainsKey(group))
                .Select(s => (s.Key, Views: s.Items[group].Where(i => i.View is not null).Select(i => i.View!.Value).ToArray()))
                .ToArray();
            for (int a = 0; a < sequences.Length; a++)
            {
                var index = new Dictionary<ViewKey, int>();
                for (int i = 0; i < sequences[a].Views.Length; i++)
                {
                    index.TryAdd(sequences[a].Views[i], i);
                }

                for (int b = a + 1; b < sequences.Length; b++)
                {
                    Compare(group, sequences[a].Key, index, sequences[b].Key, sequences[b].Views);
                }
            }
        }
    }

    private void Compare(string group, SessionKey first, Dictionary<ViewKey, int> firstIndex, SessionKey second, ViewKey[] secondViews)
    {
        int last = -1;
        ViewKey? lastKey = null;
        foreach (var key in secondViews)
        {
            if (!firstIndex.TryGetValue(key, out int at))
            {
                continue;
            }

            if (at <= last)
            {
                Context.Report(GroupProperty.ViewOrder, $"{Context.Name(second)} installed {key} of {group} after {lastKey}, {Context.Name(first)} in the other order (or twice)");
                return;
            }

            last = at;
            lastKey = key;
        }
    }
}
