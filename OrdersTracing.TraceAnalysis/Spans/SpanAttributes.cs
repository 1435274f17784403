namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The attribute names the analyses read: current semantic conventions first, the older names that
/// instrumentations still emit as fallbacks.
/// </summary>
public static class SpanAttributes
{
    public const string ServiceName = "service.name";
    public const string DbSystemName = "db.system.name";
    public const string DbSystem = "db.system";
    public const string DbQueryText = "db.query.text";
    public const string DbStatement = "db.statement";
    public const string ServerAddress = "server.address";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string HttpStatusCode = "http.status_code";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpMethod = "http.method";
    public const string UrlFull = "url.full";

    /// <summary>The URL's name before semantic conventions 1.21.</summary>
    public const string HttpUrl = "http.url";
    public const string HttpResponseBodySize = "http.response.body.size";

    /// <summary>The response size's name before semantic conventions 1.21, which Sentry's large payload detector reads.</summary>
    public const string HttpResponseContentLength = "http.response_content_length";

    internal static string? DatabaseSystem(this TraceSpan span) => span[DbSystemName] ?? span[DbSystem];

    internal static bool IsDatabase(this TraceSpan span) => span.DatabaseSystem() is not null;

    internal static bool IsHttp(this TraceSpan span) => span[HttpRequestMethod] is not null || span[HttpMethod] is not null;

    internal static bool HasServerError(this TraceSpan span) =>
        int.TryParse(span[HttpResponseStatusCode] ?? span[HttpStatusCode], out var status) && status >= 500;
}
