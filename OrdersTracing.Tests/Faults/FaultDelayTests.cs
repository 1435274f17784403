using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Tests.Faults;

public sealed class FaultDelayTests
{
    // Lengths in whole kernel ticks (4 ms), like the catalogue's 600 ms, with another timer beside the wait, as
    // Kestrel's heartbeat and the exporters' timers run in a service: the timer thread then wakes between ticks of the
    // timers' coarse clock and finds a wait due up to a tick before its time.
    [Theory]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(100)]
    public async Task A_faults_wait_is_never_shorter_on_the_clock_spans_are_timed_with_than_it_says(int milliseconds)
    {
        var duration = TimeSpan.FromMilliseconds(milliseconds);
        using var heartbeat = new Timer(_ => { }, null, 1, 1);
        var waited = new List<TimeSpan>();
        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await FaultDelay.WaitAsync(duration, TestContext.Current.CancellationToken);
            waited.Add(Stopwatch.GetElapsedTime(started));
        }

        Assert.All(waited, wait => Assert.True(wait >= duration, $"a {milliseconds} ms wait ended after {wait.TotalMilliseconds:F2} ms"));
    }

    [Fact]
    public async Task A_faults_wait_ends_when_its_request_is_aborted()
    {
        using var aborted = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => FaultDelay.WaitAsync(TimeSpan.FromMinutes(5), aborted.Token));
    }
}
