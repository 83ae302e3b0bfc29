using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;

namespace SpreadNet.Benchmarks;

/// <summary>
/// Which types the process allocates, from the runtime's allocation-tick events (one about every
/// 100 KB allocated, naming the type of the object that crossed the mark): a sampled profile that
/// needs no external tool. Listening costs an allocation per tick, about 1 % of what it samples, so
/// the measured allocation rate includes it when <c>--trace-alloc</c> is on.
/// </summary>
internal sealed class AllocationTracer : EventListener
{
    private const string RuntimeSource = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private const int AllocationTickEventId = 10;

    private readonly ConcurrentDictionary<string, Tally> _byType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start() => _recording = true;

    public void Stop() => _recording = false;

    /// <summary>The types with the most sampled bytes, largest first.</summary>
    public void Print(TextWriter log, string label, int top = 12)
    {
        long total = _byType.Values.Sum(t => t.Bytes);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{label}] allocation ticks (about one per 100 KB): {total / 1e6:F1} MB sampled"));
        foreach (var (type, tally) in _byType.OrderByDescending(p => p.Value.Bytes).Take(top))
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  [{label}]   {100.0 * tally.Bytes / Math.Max(1, total),5:F1} %  {tally.Ticks,6} ticks  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeSource)
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!_recording || eventData.EventId != AllocationTickEventId || eventData.PayloadNames is null)
        {
            return;
        }

        int typeIndex = eventData.PayloadNames.IndexOf("TypeName");
        int amountIndex = eventData.PayloadNames.IndexOf("AllocationAmount64");
        if (typeIndex < 0 || eventData.Payload![typeIndex] is not string type)
        {
            return;
        }

        long amount = amountIndex >= 0 && eventData.Payload[amountIndex] is ulong bytes ? (long)bytes : 100_000;

        // The size of the object that crossed the mark tells a pooled buffer's miss (a datagram-sized
        // array) from small arrays allocated per message.
        int sizeIndex = eventData.PayloadNames.IndexOf("ObjectSize");
        if (sizeIndex >= 0 && eventData.Payload[sizeIndex] is ulong size)
        {
            type = string.Create(CultureInfo.InvariantCulture, $"{type} ({size} B)");
        }

        var tally = _byType.GetOrAdd(type, _ => new Tally());
        Interlocked.Add(ref tally.Bytes, amount);
        Interlocked.Increment(ref tally.Ticks);
    }

    private sealed class Tally
    {
        public long Bytes;
        public long Ticks;
    }
}
