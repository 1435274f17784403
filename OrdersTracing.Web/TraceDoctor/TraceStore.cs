using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Web.TraceDoctor;

/// <summary>
/// Reads traces back from where they are kept: the Aspire dashboard's telemetry API first, Jaeger's API v3 for a
/// trace the dashboard no longer holds.
/// </summary>
public sealed class TraceStore(HttpClient http, IOptions<TraceStoreOptions> options, ILogger<TraceStore> logger)
{
    private const string ApiKeyHeader = "x-api-key";

    /// <summary>How long after a trace began the traces linking to it are searched for in Jaeger: the outbox worker retries a payment for minutes.</summary>
    public static readonly TimeSpan JaegerLinkWindow = TimeSpan.FromMinutes(15);

    /// <summary>Whether the dashboard's telemetry API can be read: the AppHost passes its address and key in run mode only.</summary>
    public bool IsConfigured => options.Value is { DashboardUrl: not null, DashboardApiKey.Length: > 0 };

    /// <summary>The spans of one trace, or an empty list where no store has it.</summary>
    public async Task<IReadOnlyList<TraceSpan>> FindAsync(string traceId, CancellationToken cancellationToken)
    {
        var spans = await ReadAsync(Dashboard($"api/telemetry/traces/{traceId}"), cancellationToken);
        if (spans.Count == 0 && options.Value.JaegerUrl is { } jaeger)
        {
            spans = await ReadAsync(new Uri(jaeger, $"/api/v3/traces/{traceId}"), cancellationToken);
        }

        return spans;
    }

    /// <summary>The last <paramref name="limit"/> traces the dashboard holds, newest first.</summary>
    public async Task<IReadOnlyList<IReadOnlyList<TraceSpan>>> RecentAsync(int limit, CancellationToken cancellationToken)
    {
        var spans = await ReadAsync(Dashboard($"api/telemetry/traces?limit={limit}"), cancellationToken);
        return [.. spans
            .GroupBy(span => span.TraceId)
            .Select(trace => (IReadOnlyList<TraceSpan>)[.. trace])
            .OrderByDescending(trace => trace.Min(span => span.Start))];
    }

    /// <summary>
    /// The traces that link to <paramref name="trace"/>. Neither store can be asked for links to a trace (the dashboard's
    /// telemetry API filters by resource and error only, Jaeger's search by service, operation, duration and time), so
    /// candidates are read and their spans' links compared: the last <paramref name="searched"/> traces the dashboard
    /// holds, and where Jaeger keeps traces, those of each of its services that started within
    /// <see cref="JaegerLinkWindow"/> after this trace (what the dashboard has already forgotten).
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<TraceSpan>>> LinkingToAsync(IReadOnlyList<TraceSpan> trace, int searched, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfZero(trace.Count);

        var candidates = new List<IReadOnlyList<TraceSpan>>(await RecentAsync(searched, cancellationToken));
        if (options.Value.JaegerUrl is { } jaeger)
        {
            var start = trace.Min(span => span.Start);
            foreach (var service in await JaegerServicesAsync(jaeger, cancellationToken))
            {
                var found = await ReadAsync(JaegerSearch(jaeger, service, start, start + JaegerLinkWindow, searched), cancellationToken);
                candidates.AddRange(found.GroupBy(span => span.TraceId).Select(group => (IReadOnlyList<TraceSpan>)[.. group]));
            }
        }

        return LinkedTraces.LinkingTo(trace[0].TraceId, candidates.DistinctBy(candidate => candidate[0].TraceId));
    }

    /// <summary>
    /// Jaeger API v3's search (<c>GET /api/v3/traces</c>): the service and both ends of the start time window (RFC 3339) are
    /// required; <c>query.num_traces</c> is the number of traces, which newer versions also take as <c>query.search_depth</c>.
    /// </summary>
    private static Uri JaegerSearch(Uri jaeger, string service, DateTimeOffset from, DateTimeOffset to, int traces) =>
        new(jaeger, "/api/v3/traces"
            + $"?query.service_name={Uri.EscapeDataString(service)}"
            + $"&query.start_time_min={Uri.EscapeDataString(Rfc3339(from))}"
            + $"&query.start_time_max={Uri.EscapeDataString(Rfc3339(to))}"
            + $"&query.num_traces={traces.ToString(CultureInfo.InvariantCulture)}");

    private static string Rfc3339(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The services Jaeger holds spans of (<c>GET /api/v3/services</c>, <c>{"services": [...]}</c>).</summary>
    private async Task<IReadOnlyList<string>> JaegerServicesAsync(Uri jaeger, CancellationToken cancellationToken) =>
        await SendAsync(new Uri(jaeger, "/api/v3/services"), JaegerServices, [], cancellationToken);

    private static IReadOnlyList<string> JaegerServices(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("services", out var services) && services.ValueKind == JsonValueKind.Array
            ? [.. services.EnumerateArray().Where(service => service.ValueKind == JsonValueKind.String).Select(service => service.GetString()!)]
            : [];
    }

    private Uri? Dashboard(string path) =>
        IsConfigured ? new Uri(options.Value.DashboardUrl!, path) : null;

    private Task<IReadOnlyList<TraceSpan>> ReadAsync(Uri? url, CancellationToken cancellationToken) =>
        SendAsync(url, OtlpTraceReader.Read, [], cancellationToken);

    private async Task<T> SendAsync<T>(Uri? url, Func<string, T> read, T none, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return none;
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (url.Authority == options.Value.DashboardUrl?.Authority)
        {
            request.Headers.Add(ApiKeyHeader, options.Value.DashboardApiKey);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        // Reading telemetry is not part of the application's picture: traced, these calls would show in the very
        // dependency graph the page draws, as web calling the dashboard.
        using var untraced = SuppressInstrumentationScope.Begin();
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return none;
            }

            response.EnsureSuccessStatusCode();
            return read(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A store that is down, times out (the resilience handler's own exceptions) or answers something else than
            // OTLP/JSON leaves the page with "no trace" and a log line, never a 500.
            logger.LogWarning(ex, "Could not read traces from {Url}", url.GetLeftPart(UriPartial.Path));
            return none;
        }
    }
}
