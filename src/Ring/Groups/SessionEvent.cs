namespace SpreadNet.Ring.Groups;

/// <summary>What a session receives next: a message or a view.</summary>
public enum SessionEventKind
{
    /// <summary>A message (see <see cref="SessionEvent.Message"/>).</summary>
    Message,

    /// <summary>A membership view of a group this session is in (see <see cref="SessionEvent.View"/>).</summary>
    View,
}

/// <summary>
/// One item of a session's ordered stream: messages and views of all its groups, in the ring's
/// total order. Dispose it (or its message) when done, to return the payload's buffer.
/// </summary>
public readonly struct SessionEvent : IDisposable
{
    internal SessionEvent(RingMessage message)
    {
        Kind = SessionEventKind.Message;
        Message = message;
        View = null;
    }

    internal SessionEvent(GroupView view)
    {
        Kind = SessionEventKind.View;
        Message = default;
        View = view;
    }

    /// <summary>Message or view.</summary>
    public SessionEventKind Kind { get; }

    /// <summary>The message, when <see cref="Kind"/> is <see cref="SessionEventKind.Message"/>.</summary>
    public RingMessage Message { get; }

    /// <summary>The view, when <see cref="Kind"/> is <see cref="SessionEventKind.View"/>.</summary>
    public GroupView? View { get; }

    /// <summary>Disposes the message, if this is one.</summary>
    public void Dispose() => Message.Dispose();

    /// <inheritdoc />
    public override string ToString() =>
        Kind == SessionEventKind.View ? View!.ToString() : $"Message from {Message.Sender} to [{string.Join(", ", Message.Groups)}] at {Message.Position}";
}
