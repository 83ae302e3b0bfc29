namespace SpreadNet.Ring.Verification;

/// <summary>
/// Checks extended virtual synchrony and total order over the logs of node incarnations. Feed it
/// online (<see cref="Record"/> as things happen, violations reported at once where a property
/// allows it) and call <see cref="Finish"/> at the end for the properties that need whole logs; or
/// hand it finished logs with <see cref="Check"/> (a multi-process test parsing files).
/// </summary>
public sealed class EvsVerifier
{
    private readonly Dictionary<Incarnation, IncarnationHistory> _nodes = [];
    private readonly List<IncarnationHistory> _inOrder = [];
    private readonly List<EvsViolation> _violations = [];
    private readonly Action<EvsViolation>? _onViolation;
    private readonly VerificationContext _context;
    private readonly PropertyCheck[] _checks;
    private bool _finished;

    /// <summary>Creates a verifier.</summary>
    /// <param name="describe">Names nodes in violation messages (default: the id in hex).</param>
    /// <param name="onViolation">Called for each violation as it is found.</param>
    public EvsVerifier(Func<NodeId, string>? describe = null, Action<EvsViolation>? onViolation = null)
    {
        _onViolation = onViolation;
        _context = new VerificationContext(describe ?? (n => n.ToString()), Add);
        _checks =
        [
            new MembershipAgreementCheck(_context),
            new RingIdUniquenessCheck(_context),
            new ConfigurationSequenceCheck(_context),
            new TotalOrderCheck(_context),
            new DeliveryConfigurationCheck(_context),
            new NoDuplicatesCheck(_context),
            new SenderFifoCheck(_context),
            new VirtualSynchronyCheck(_context),
            new RegularPrefixCheck(_context),
            new SafeDeliveryCheck(_context),
            new SelfDeliveryCheck(_context),
        ];
    }

    /// <summary>Violations found so far.</summary>
    public IReadOnlyList<EvsViolation> Violations => _violations;

    /// <summary>
    /// Records what <paramref name="incarnation"/> reported. A node's incarnations must be
    /// recorded in order (each one's entries before the next one's); different nodes' entries may
    /// interleave in any way.
    /// </summary>
    public void Record(Incarnation incarnation, LogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (_finished)
        {
            throw new InvalidOperationException("The verifier has finished.");
        }

        if (!_nodes.TryGetValue(incarnation, out var node))
        {
            node = new IncarnationHistory(incarnation);
            _nodes.Add(incarnation, node);
            _inOrder.Add(node);
        }

        if (node.Ended)
        {
            Add(new EvsViolation(EvsProperty.Log, $"{_context.Name(incarnation)} reported {entry} after it crashed or left"));
            return;
        }

        foreach (var check in _checks)
        {
            check.Observe(node, entry);
        }

        node.Apply(entry);
    }

    /// <summary>Runs the checks that need whole logs; call once, when every log is complete.</summary>
    public IReadOnlyList<EvsViolation> Finish()
    {
        if (!_finished)
        {
            _finished = true;
            foreach (var check in _checks)
            {
                check.Finish(_inOrder);
            }
        }

        return _violations;
    }

    /// <summary>Checks finished logs; each node's incarnations are taken in number order.</summary>
    public static IReadOnlyList<EvsViolation> Check(IEnumerable<NodeLog> logs, Func<NodeId, string>? describe = null)
    {
        ArgumentNullException.ThrowIfNull(logs);
        var verifier = new EvsVerifier(describe);
        foreach (var log in logs.OrderBy(l => l.Incarnation.Node).ThenBy(l => l.Incarnation.Number))
        {
            foreach (var entry in log.Entries)
            {
                verifier.Record(log.Incarnation, entry);
            }
        }

        return verifier.Finish();
    }

    private void Add(EvsViolation violation)
    {
        _violations.Add(violation);
        _onViolation?.Invoke(violation);
    }
}
