namespace OrdersTracing.Web.TraceDoctor;

/// <summary>
/// Where the trace doctor reads traces back, and the key that lets it: links only need an address, reading the
/// dashboard's telemetry API needs its key too.
/// </summary>
public sealed class TraceStoreOptions
{
    public const string SectionName = "TraceStore";

    public Uri? DashboardUrl { get; set; }

    /// <summary>The key of the dashboard's telemetry API; the AppHost passes it in run mode only.</summary>
    public string? DashboardApiKey { get; set; }

    public Uri? JaegerUrl { get; set; }
}
