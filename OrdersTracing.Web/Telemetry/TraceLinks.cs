using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace OrdersTracing.Web.Telemetry;

/// <summary>Where traces can be looked at; the AppHost passes the dashboard's and Jaeger's addresses.</summary>
public sealed class TraceLinksOptions
{
    public const string SectionName = "TraceLinks";

    public Uri? DashboardUrl { get; set; }

    public Uri? JaegerUrl { get; set; }
}

/// <summary>Links a trace id to every place that shows it, so a person can go from a page to its trace.</summary>
public sealed class TraceLinks(IOptions<TraceLinksOptions> options)
{
    public string? CurrentTraceId => Activity.Current?.TraceId.ToHexString();

    public Uri? Dashboard(string traceId) =>
        options.Value.DashboardUrl is { } dashboard ? new Uri(dashboard, $"/traces/detail/{traceId}") : null;

    /// <summary>This application's own trace doctor, which explains the trace rather than only showing it.</summary>
    public static string Doctor(string traceId) => $"/traces/{traceId}";

    public Uri? Jaeger(string traceId) =>
        options.Value.JaegerUrl is { } jaeger ? new Uri(jaeger, $"/trace/{traceId}") : null;
}
