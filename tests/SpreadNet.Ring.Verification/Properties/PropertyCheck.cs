namespace SpreadNet.Ring.Verification;

/// <summary>
/// One property. <see cref="Observe"/> sees every entry as it is recorded (before the incarnation's
/// history takes it in), so online checks report at once; <see cref="Finish"/> checks what needs
/// whole logs. Online checks must not depend on how different incarnations' entries interleave,
/// so logs read from files one after another give the same verdicts.
/// </summary>
internal abstract class PropertyCheck(VerificationContext context)
{
    protected VerificationContext Context { get; } = context;

    public virtual void Observe(IncarnationHistory node, LogEntry entry)
    {
    }

    public virtual void Finish(IReadOnlyCollection<IncarnationHistory> nodes)
    {
    }
}
