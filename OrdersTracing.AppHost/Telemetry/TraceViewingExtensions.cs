namespace OrdersTracing.AppHost.Telemetry;

/// <summary>Tells a service where the traces it made can be seen and read back.</summary>
public static class TraceViewingExtensions
{
    /// <summary>Aspire's setting for the key of its dashboard's telemetry API, which the trace doctor needs as well.</summary>
    private const string DashboardApiKeySetting = "AppHost:DashboardApiKey";

    /// <summary>So that a service's pages can link each trace id to the dashboard and Jaeger.</summary>
    public static IResourceBuilder<T> WithTraceLinks<T>(this IResourceBuilder<T> service, TelemetryPipeline telemetry)
        where T : IResourceWithEnvironment
    {
        if (telemetry.JaegerUi is { } jaegerUi)
        {
            service.WithEnvironment("TraceLinks__JaegerUrl", jaegerUi);
        }

        return service.WithEnvironment(context =>
        {
            if (Dashboard.FindEndpoint(context, "https", "http") is { } dashboard)
            {
                context.EnvironmentVariables["TraceLinks__DashboardUrl"] = dashboard;
            }
        });
    }

    /// <summary>
    /// So that a service can read traces back for the trace doctor: from the dashboard's telemetry API, which takes a
    /// key, and from Jaeger for a trace the dashboard no longer holds. Run mode only: FindEndpoint finds nothing in
    /// publish mode, so the local dashboard's key never reaches a manifest.
    /// </summary>
    public static IResourceBuilder<T> WithTraceStore<T>(this IResourceBuilder<T> service, TelemetryPipeline telemetry)
        where T : IResourceWithEnvironment
    {
        var apiKey = service.ApplicationBuilder.Configuration[DashboardApiKeySetting];
        return service.WithEnvironment(context =>
        {
            if (Dashboard.FindEndpoint(context, "https", "http") is not { } dashboard || apiKey is not { Length: > 0 })
            {
                return;
            }

            context.EnvironmentVariables["TraceStore__DashboardUrl"] = dashboard;
            context.EnvironmentVariables["TraceStore__DashboardApiKey"] = apiKey;
            if (telemetry.JaegerUi is { } jaegerUi)
            {
                context.EnvironmentVariables["TraceStore__JaegerUrl"] = jaegerUi;
            }
        });
    }
}
