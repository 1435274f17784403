namespace OrdersTracing.AppHost.Infrastructure;

public static class TraceLinksExtensions
{
    /// <summary>
    /// Tells a service where traces can be looked at, so its pages can link each trace id to the dashboard and Jaeger,
    /// and, in run mode, the key of the dashboard's telemetry API so it can read traces back for the trace doctor.
    /// </summary>
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

                // FindEndpoint finds nothing in publish mode, so the local dashboard's key never reaches a manifest.
                if (service.ApplicationBuilder.Configuration["AppHost:DashboardApiKey"] is { Length: > 0 } apiKey)
                {
                    context.EnvironmentVariables["TraceLinks__DashboardApiKey"] = apiKey;
                }
            }
        });
    }
}
