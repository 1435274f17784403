namespace OrdersTracing.AppHost.Infrastructure;

public static class TraceLinksExtensions
{
    /// <summary>Tells a service where traces can be looked at, so its pages can link each trace id to the dashboard and Jaeger.</summary>
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
}
