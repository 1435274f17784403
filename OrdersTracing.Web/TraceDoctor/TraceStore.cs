using System.Net;
using System.Net.Http.Headers;
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
    /// The traces that link to trace <paramref name="traceId"/>, among the last <paramref name="searched"/> the dashboard
    /// holds: neither store can be asked for links to a trace (the dashboard's telemetry API filters by resource and
    /// error only, Jaeger's search by service, operation, attributes and time), so the recent traces are read and their
    /// spans' links compared.
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<TraceSpan>>> LinkingToAsync(string traceId, int searched, CancellationToken cancellationToken) =>
        LinkedTraces.LinkingTo(traceId, await RecentAsync(searched, cancellationToken));

    private Uri? Dashboard(string path) =>
        IsConfigured ? new Uri(options.Value.DashboardUrl!, path) : null;

    private async Task<IReadOnlyList<TraceSpan>> ReadAsync(Uri? url, CancellationToken cancellationToken)
    {
        if (url is null)
        {
            return [];
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
                return [];
            }

            response.EnsureSuccessStatusCode();
            return OtlpTraceReader.Read(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A store that is down, times out (the resilience handler's own exceptions) or answers something else than
            // OTLP/JSON leaves the page with "no trace" and a log line, never a 500.
            logger.LogWarning(ex, "Could not read traces from {Url}", url.GetLeftPart(UriPartial.Path));
            return [];
        }
    }
}
