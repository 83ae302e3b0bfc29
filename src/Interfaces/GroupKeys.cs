namespace SpreadNet.Interfaces;

/// <summary>
/// Names of groups and rings, and the key of an <see cref="IGroupGrain"/> (<c>ring/group</c>).
/// A group name is 1 to 128 printable ASCII characters without spaces or '#'; a ring name is 1 to 64
/// letters, digits, '.', '-' or '_' (so the first '/' of a key ends the ring name).
/// </summary>
public static class GroupKeys
{
    /// <summary>The ring groups use when none is named: <c>AddSpreadGroups()</c> adds it to the silo.</summary>
    public const string DefaultRing = "groups";

    /// <summary>Longest group name, in characters.</summary>
    public const int MaxGroupNameLength = 128;

    /// <summary>Longest ring name, in characters.</summary>
    public const int MaxRingNameLength = 64;

    /// <summary>The key of the <see cref="IGroupGrain"/> of <paramref name="group"/> on <paramref name="ring"/>.</summary>
    /// <exception cref="ArgumentException">A name is not valid (the message says why).</exception>
    public static string Format(string group, string ring = DefaultRing)
    {
        ValidateRing(ring);
        ValidateGroup(group);
        return $"{ring}/{group}";
    }

    /// <summary>Splits a key made by <see cref="Format"/>.</summary>
    /// <exception cref="ArgumentException">The key is not <c>ring/group</c> with valid names.</exception>
    public static (string Ring, string Group) Parse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        int slash = key.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
        {
            throw new ArgumentException($"'{key}' is not a group grain key: it is 'ring/group'; get group grains with GetGroup(group, ring).", nameof(key));
        }

        string ring = key[..slash];
        string group = key[(slash + 1)..];
        ValidateRing(ring, nameof(key));
        ValidateGroup(group, nameof(key));
        return (ring, group);
    }

    /// <summary>Throws with an explanation when <paramref name="group"/> cannot name a group.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or has a character not allowed.</exception>
    public static void ValidateGroup(string group, string parameterName = "group")
    {
        ArgumentNullException.ThrowIfNull(group, parameterName);
        if (group.Length == 0)
        {
            throw new ArgumentException("A group name cannot be empty.", parameterName);
        }

        if (group.Length > MaxGroupNameLength)
        {
            throw new ArgumentException($"The group name '{group[..16]}...' has {group.Length} characters; at most {MaxGroupNameLength} are allowed.", parameterName);
        }

        for (int i = 0; i < group.Length; i++)
        {
            char c = group[i];
            if (c is <= ' ' or > '~' or '#')
            {
                throw new ArgumentException(
                    $"The group name '{group}' has a character not allowed at position {i} (U+{(int)c:X4}): use printable ASCII without spaces or '#'.",
                    parameterName);
            }
        }
    }

    /// <summary>Throws with an explanation when <paramref name="ring"/> cannot name a ring.</summary>
    /// <exception cref="ArgumentException">The name is empty, too long or has a character not allowed.</exception>
    public static void ValidateRing(string ring, string parameterName = "ring")
    {
        ArgumentNullException.ThrowIfNull(ring, parameterName);
        if (ring.Length is 0 or > MaxRingNameLength || !ring.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
        {
            throw new ArgumentException($"'{ring}' cannot name a Spread ring: use 1 to {MaxRingNameLength} letters, digits, '.', '-' or '_', for example \"{DefaultRing}\".", parameterName);
        }
    }
}
