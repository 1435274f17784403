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

    /// <summary>Marks a live N+1 detector puts on a root span.</summary>
    public const string NPlusOneDetected = "n_plus_one.detected";
    public const string NPlusOneCount = "n_plus_one.count";
    public const string NPlusOneStatement = "n_plus_one.statement";

    internal static string? DatabaseSystem(this TraceSpan span) => span[DbSystemName] ?? span[DbSystem];

    internal static string? QueryText(this TraceSpan span) => span[DbQueryText] ?? span[DbStatement];

    internal static bool IsDatabase(this TraceSpan span) => span.DatabaseSystem() is not null;

    /// <summary>A database span that ran a statement; connection opens are database spans without one.</summary>
    internal static bool IsQuery(this TraceSpan span) => span.IsDatabase() && span.QueryText() is not null;

    internal static bool IsHttp(this TraceSpan span) => span[HttpRequestMethod] is not null || span[HttpMethod] is not null;

    internal static bool HasServerError(this TraceSpan span) =>
        int.TryParse(span[HttpResponseStatusCode] ?? span[HttpStatusCode], out var status) && status >= 500;
}
