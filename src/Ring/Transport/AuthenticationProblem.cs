namespace SpreadNet.Ring.Transport;

/// <summary>Why a node's datagrams are dropped before they reach the engine.</summary>
internal enum AuthenticationProblem
{
    /// <summary>They fail authentication under this node's cluster key.</summary>
    BadTag,

    /// <summary>They carry no authentication, and this node has a cluster key.</summary>
    Unsealed,

    /// <summary>They are sealed with a cluster key, and this node has none.</summary>
    SealedWithoutKey,

    /// <summary>Authentic, but their counters were already used.</summary>
    Replayed,
}
