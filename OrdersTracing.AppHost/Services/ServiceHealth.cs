namespace OrdersTracing.AppHost.Services;

/// <summary>How the AppHost knows a service is ready, not just started.</summary>
public static class ServiceHealth
{
    /// <summary>
    /// The readiness endpoint every service maps through ServiceDefaults' <c>MapDefaultEndpoints</c>. Probed by the
    /// AppHost, a service turns healthy once it answers (after the Api's migrations, with its database reachable), so
    /// <c>WaitFor</c> and the dashboard mean "serving", and a database outage shows on the Api.
    /// </summary>
    public const string Path = "/health";
}
