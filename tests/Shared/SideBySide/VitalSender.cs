using System.Diagnostics;
using SpreadNet.Ring;

namespace SpreadNet.Testing.SideBySide;

/// <summary>
/// Sends small timestamped messages from one node at a fixed rate on a dedicated thread, marked with
/// the current <see cref="Phase"/>. The timestamp is taken just before submitting, so a late wake-up
/// of this thread does not count as latency, but anything after it does.
/// </summary>
internal sealed class VitalSender
{
    private readonly RingNode _node;
    private readonly byte[] _payload;
    private readonly long _interval;
    private readonly int[] _sent = new int[3];
    private readonly Thread _thread;
    private volatile bool _stopping;
    private int _phase;

    public VitalSender(RingNode node, int size, int rate)
    {
        _node = node;
        _payload = new byte[Math.Max(size, 9)];
        _interval = Stopwatch.Frequency / rate;
        _thread = new Thread(Run) { IsBackground = true, Name = "vital-sender" };
        _thread.Start();
    }

    public VitalPhase Phase
    {
        get => (VitalPhase)Volatile.Read(ref _phase);
        set => Volatile.Write(ref _phase, (int)value);
    }

    /// <summary>Messages of <paramref name="phase"/> the node accepted.</summary>
    public int Sent(VitalPhase phase) => Volatile.Read(ref _sent[(int)phase]);

    public void Stop()
    {
        _stopping = true;
        _thread.Join();
    }

    private void Run()
    {
        long due = Stopwatch.GetTimestamp();
        while (!_stopping)
        {
            long now = Stopwatch.GetTimestamp();
            if (now < due)
            {
                Thread.Sleep(1);
                continue;
            }

            var phase = Phase;
            LatencyReceiver.Stamp(_payload, phase);
            if (_node.TrySubmit(_payload))
            {
                Volatile.Write(ref _sent[(int)phase], _sent[(int)phase] + 1);
            }

            // After a stall, carry on at the rate instead of sending a burst to catch up.
            due = Math.Max(due + _interval, now);
        }
    }
}
