using System.Diagnostics;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>Polls for a condition the application reaches on its own time (payments settled, a replica back), with a deadline.</summary>
public static class Poll
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>The first value <paramref name="read"/> gives; fails the test, saying <paramref name="what"/>, after <see cref="Deadline"/>.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T?>> read, string what = "the condition") where T : struct
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (await read() is { } value)
            {
                return value;
            }

            Assert.True(stopwatch.Elapsed < Deadline, $"Timed out after {Deadline.TotalSeconds} s waiting for {what}.");
            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }
    }
}
