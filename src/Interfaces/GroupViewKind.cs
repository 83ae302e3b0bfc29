namespace SpreadNet.Interfaces;

/// <summary>The kind of a group view (Spread's regular and transitional membership messages, and self-leave).</summary>
[GenerateSerializer]
[Alias("spreadnet.GroupViewKind")]
public enum GroupViewKind
{
    /// <summary>A regular view: the members of the group from now on.</summary>
    Regular = 0,

    /// <summary>
    /// Delivered first after a ring configuration change (a silo left or joined the ring): the
    /// members that moved together from the previous view. Messages between it and the next regular
    /// view were delivered to exactly the members of this transitional view that survive.
    /// </summary>
    Transitional = 1,

    /// <summary>The receiving member left the group (it asked to, or it is being removed); nothing more of the group follows.</summary>
    SelfLeave = 2,
}
