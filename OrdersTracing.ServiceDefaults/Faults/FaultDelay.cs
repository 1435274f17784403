using System.Diagnostics;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// A fault's wait, at least as long as it says on the clock spans are timed with. Timers run on the coarse clock
/// (<see cref="Environment.TickCount64"/>: a kernel tick, 4 ms on many Linux kernels), so <see cref="Task.Delay(TimeSpan, CancellationToken)"/>
/// alone may end a few milliseconds before its time as <see cref="Stopwatch"/> measures it, and a 600 ms fault would
/// show as a 596 ms span.
/// </summary>
public static class FaultDelay
{
    public static async Task WaitAsync(TimeSpan duration, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        for (var left = duration; left > TimeSpan.Zero; left = duration - Stopwatch.GetElapsedTime(started))
        {
            // Whole milliseconds up: a remainder below one would otherwise be a delay of zero, and a spin.
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds)), cancellationToken);
        }
    }
}
