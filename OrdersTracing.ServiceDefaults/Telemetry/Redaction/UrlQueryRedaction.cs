using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace OrdersTracing.ServiceDefaults.Telemetry.Redaction;

/// <summary>
/// Keeps query string values out of <c>url.query</c> and <c>url.full</c> (<c>?api_key=Redacted</c>) in every environment.
/// The Aspire AppHost turns the instrumentations' redaction off in development so the dashboard shows whole URLs, but a
/// query string can carry an API key or an e-mail address, and a trace is read by more people than the request was.
/// </summary>
internal static class UrlQueryRedaction
{
    public const string AspNetCoreSwitch = "OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION";
    public const string HttpClientSwitch = "OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION";

    /// <summary>Added last, so it wins over the environment variables the instrumentations read through configuration.</summary>
    public static void AlwaysRedactUrlQueries(this IHostApplicationBuilder builder) =>
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AspNetCoreSwitch] = "false",
            [HttpClientSwitch] = "false",
        });
}
