using System.Net;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Reads traces back from the Aspire dashboard's telemetry API. Spans arrive in batches a second or so after
/// the request that made them, so every read polls until its condition holds or a deadline passes.
/// </summary>
public sealed class DashboardTelemetry(Uri dashboard, string apiKey) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient http = new() { BaseAddress = dashboard, DefaultRequestHeaders = { { "x-api-key", apiKey } } };

    /// <summary>The spans of one trace, once <paramref name="isComplete"/> says all the expected ones have arrived.</summary>
    public Task<IReadOnlyList<TraceSpan>> WaitForTraceAsync(string traceId, Func<IReadOnlyList<TraceSpan>, bool> isComplete) =>
        PollAsync($"/api/telemetry/traces/{traceId}", isComplete, $"trace {traceId}");

    /// <summary>Every span the dashboard holds, once <paramref name="isComplete"/> holds.</summary>
    public Task<IReadOnlyList<TraceSpan>> WaitForSpansAsync(Func<IReadOnlyList<TraceSpan>, bool> isComplete) =>
        PollAsync("/api/telemetry/spans?limit=10000", isComplete, "spans");

    /// <summary>
    /// The dashboard's OTLP JSON for every span or every log record it holds (<paramref name="signal"/> is <c>spans</c> or
    /// <c>logs</c>), as received, once <paramref name="isComplete"/> holds for it: what a scan for leaked values reads.
    /// </summary>
    public async Task<string> WaitForRawAsync(string signal, Func<string, bool> isComplete)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (true)
        {
            var json = await http.GetStringAsync($"/api/telemetry/{signal}?limit=10000", deadline.Token);
            if (isComplete(json))
            {
                return json;
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"The dashboard did not show the expected {signal} within {Deadline.TotalSeconds} s.");
            }
        }
    }

    private async Task<IReadOnlyList<TraceSpan>> PollAsync(string path, Func<IReadOnlyList<TraceSpan>, bool> isComplete, string what)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        IReadOnlyList<TraceSpan> spans = [];

        while (true)
        {
            using (var response = await http.GetAsync(path, deadline.Token))
            {
                if (response.StatusCode != HttpStatusCode.NotFound)
                {
                    response.EnsureSuccessStatusCode();
                    spans = OtlpTraceReader.Read(await response.Content.ReadAsStringAsync(deadline.Token));
                    if (isComplete(spans))
                    {
                        return spans;
                    }
                }
            }

            try
            {
                await Task.Delay(PollInterval, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                var traceStart = spans.Count == 0 ? default : spans.Min(span => span.Start);
                Assert.Fail($"The dashboard did not show the expected {what} within {Deadline.TotalSeconds} s. It had {spans.Count} spans:\n"
                    + string.Join("\n", spans.OrderBy(span => span.Start).Select(span => Describe(span, traceStart))));
            }
        }
    }

    public void Dispose() => http.Dispose();

    // When and how long, from the trace's first span: a timeout or a missing retry reads from these.
    private static string Describe(TraceSpan span, DateTimeOffset traceStart) =>
        $"+{(span.Start - traceStart).TotalMilliseconds:F0} ms {span.Duration.TotalMilliseconds:F0} ms "
        + $"{span.Service}/{span.Scope}: {span.Name} trace={span.TraceId} span={span.SpanId} parent={span.ParentSpanId ?? "-"} "
        + $"kind={span.Kind} status={span.Status} " + string.Join(" ", span.Attributes.Select(attribute => $"{attribute.Key}={attribute.Value}"));
}
