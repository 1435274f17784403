using System.Net;
using System.Text.Json;

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
                    spans = TraceSpan.ParseOtlpJson(await response.Content.ReadAsStringAsync(deadline.Token));
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
                Assert.Fail($"The dashboard did not show the expected {what} within {Deadline.TotalSeconds} s. It had {spans.Count} spans:\n"
                    + string.Join("\n", spans.Select(span => span.ToString())));
            }
        }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>One span as the dashboard's OTLP JSON shows it; every attribute value is a string there.</summary>
public sealed record TraceSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    string Scope,
    IReadOnlyDictionary<string, string> Resource,
    IReadOnlyDictionary<string, string> Attributes,
    int StatusCode,
    string? StatusMessage,
    IReadOnlyList<SpanEvent> Events)
{
    public const int KindServer = 2;
    public const int KindClient = 3;
    public const int StatusError = 2;

    public string Service => Resource.GetValueOrDefault("service.name", "");

    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() =>
        $"{Service}/{Scope}: {Name} trace={TraceId} span={SpanId} parent={ParentSpanId ?? "-"} kind={Kind} status={StatusCode} "
        + string.Join(" ", Attributes.Select(attribute => $"{attribute.Key}={attribute.Value}"));

    public static IReadOnlyList<TraceSpan> ParseOtlpJson(string json)
    {
        using var document = JsonDocument.Parse(json);
        var spans = new List<TraceSpan>();

        foreach (var resourceSpans in document.RootElement.GetProperty("data").GetProperty("resourceSpans").EnumerateArray())
        {
            var resource = ReadAttributes(resourceSpans.GetProperty("resource"));
            foreach (var scopeSpans in resourceSpans.GetProperty("scopeSpans").EnumerateArray())
            {
                var scope = scopeSpans.GetProperty("scope").GetProperty("name").GetString() ?? "";
                foreach (var span in scopeSpans.GetProperty("spans").EnumerateArray())
                {
                    var status = span.TryGetProperty("status", out var statusElement) ? statusElement : default;
                    spans.Add(new TraceSpan(
                        span.GetProperty("traceId").GetString()!,
                        span.GetProperty("spanId").GetString()!,
                        span.TryGetProperty("parentSpanId", out var parent) ? parent.GetString() : null,
                        span.GetProperty("name").GetString()!,
                        span.GetProperty("kind").GetInt32(),
                        scope,
                        resource,
                        ReadAttributes(span),
                        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0,
                        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("message", out var message) ? message.GetString() : null,
                        span.TryGetProperty("events", out var events)
                            ? [.. events.EnumerateArray().Select(e => new SpanEvent(e.GetProperty("name").GetString()!, ReadAttributes(e)))]
                            : []));
                }
            }
        }

        return spans;
    }

    private static Dictionary<string, string> ReadAttributes(JsonElement element) =>
        element.TryGetProperty("attributes", out var attributes)
            ? attributes.EnumerateArray().ToDictionary(
                attribute => attribute.GetProperty("key").GetString()!,
                attribute => attribute.GetProperty("value").TryGetProperty("stringValue", out var value) ? value.GetString() ?? "" : attribute.GetProperty("value").ToString())
            : [];
}

public sealed record SpanEvent(string Name, IReadOnlyDictionary<string, string> Attributes);
