namespace SpreadNet.Ring.Groups;

/// <summary>
/// Rules for group and session names. A group name is 1 to <see cref="MaxGroupNameLength"/>
/// printable ASCII characters without spaces or <c>#</c>; a session name is 1 to
/// <see cref="MaxSessionNameLength"/> of the same. A session's private name,
/// <c>#session#node</c>, addresses that session alone.
/// </summary>
public static class GroupNames
{
    /// <summary>Longest group name, in characters.</summary>
    public const int MaxGroupNameLength = 128;

    /// <summary>Longest session name, in characters.</summary>
    public const int MaxSessionNameLength = 32;

    /// <summary>Longest private name (<c>#</c> + session + <c>#</c> + node).</summary>
    internal const int MaxPrivateNameLength = 2 + MaxSessionNameLength + 16;

    /// <summary>Throws with an explanation when <paramref name="group"/> is not a valid group name.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or has a character not allowed.</exception>
    public static void ValidateGroup(string group, string parameterName = "group")
    {
        ArgumentNullException.ThrowIfNull(group, parameterName);
        if (IsPrivate(group))
        {
            if (!TryParsePrivate(group, out _, out _))
            {
                throw new ArgumentException($"'{group}' starts with '#' but is not a session's private name (#session#node, as GroupMember.Name gives it).", parameterName);
            }

            return;
        }

        Validate(group, MaxGroupNameLength, "group", parameterName);
    }

    /// <summary>Throws with an explanation when <paramref name="session"/> is not a valid session name.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or has a character not allowed.</exception>
    public static void ValidateSession(string session, string parameterName = "name")
    {
        ArgumentNullException.ThrowIfNull(session, parameterName);
        Validate(session, MaxSessionNameLength, "session", parameterName);
    }

    /// <summary>Whether the name is a session's private name (starts with <c>#</c>).</summary>
    public static bool IsPrivate(ReadOnlySpan<char> name) => !name.IsEmpty && name[0] == '#';

    internal static string PrivateName(string session, NodeId node) => $"#{session}#{node}";

    internal static bool IsValidChar(char c) => c is > ' ' and <= '~' and not '#';

    internal static bool IsValid(ReadOnlySpan<char> name, int maxLength)
    {
        if (name.IsEmpty || name.Length > maxLength)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!IsValidChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Splits <c>#session#node</c>; false when it is not one.</summary>
    internal static bool TryParsePrivate(ReadOnlySpan<char> name, out ReadOnlySpan<char> session, out NodeId node)
    {
        session = default;
        node = default;
        if (!IsPrivate(name))
        {
            return false;
        }

        var rest = name[1..];
        int hash = rest.IndexOf('#');
        if (hash <= 0 || !IsValid(rest[..hash], MaxSessionNameLength))
        {
            return false;
        }

        var nodeText = rest[(hash + 1)..];
        if (nodeText.IsEmpty || nodeText.Length > 16
            || !ulong.TryParse(nodeText, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out ulong value)
            || value == 0)
        {
            return false;
        }

        session = rest[..hash];
        node = new NodeId(value);
        return true;
    }

    private static void Validate(string name, int maxLength, string what, string parameterName)
    {
        if (name.Length == 0)
        {
            throw new ArgumentException($"A {what} name cannot be empty.", parameterName);
        }

        if (name.Length > maxLength)
        {
            throw new ArgumentException($"The {what} name '{name[..16]}...' has {name.Length} characters; at most {maxLength} are allowed.", parameterName);
        }

        int bad = name.AsSpan().IndexOfAnyExcept(AllowedChars);
        if (bad >= 0)
        {
            throw new ArgumentException(
                $"The {what} name '{name}' has a character not allowed at position {bad} ('{name[bad]}' U+{(int)name[bad]:X4}): use printable ASCII without spaces or '#'.",
                parameterName);
        }
    }

    private static readonly System.Buffers.SearchValues<char> AllowedChars =
        System.Buffers.SearchValues.Create([.. Enumerable.Range('!', '~' - '!' + 1).Select(c => (char)c).Where(c => c != '#')]);
}
