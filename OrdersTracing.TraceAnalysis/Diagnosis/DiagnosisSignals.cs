namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The spans and attributes the diagnosis reads beyond the semantic conventions, which the services add where a
/// cause would otherwise leave no trace: a connection open, a cold start, a cache call.
/// </summary>
public static class DiagnosisSignals
{
    /// <summary>An after-the-fact span of a connection open that took a while, in error when the open failed.</summary>
    public const string ConnectionOpenSpan = "db.connection.open";

    public const string ConnectionPoolName = "db.client.connection.pool.name";

    /// <summary><c>true</c> on the server span of the first request of its route in a process.</summary>
    public const string ColdStart = "app.cold_start";

    public const string CacheGetSpan = "cache.get";
    public const string CacheSetSpan = "cache.set";

    public const string ExceptionEvent = "exception";
    public const string ExceptionType = "exception.type";
    public const string ExceptionMessage = "exception.message";
    public const string ErrorType = "error.type";
    public const string HttpResendCount = "http.request.resend_count";

    private static readonly string[] CacheSystems = ["redis", "memcached", "valkey"];

    internal static bool IsCache(this TraceSpan span) =>
        span.Name is CacheGetSpan or CacheSetSpan || (span.DatabaseSystem() is { } system && CacheSystems.Contains(system));

    internal static bool IsStatement(this TraceSpan span) =>
        span.IsDatabase() && !span.IsCache() && (span[SpanAttributes.DbQueryText] ?? span[SpanAttributes.DbStatement]) is not null;

    internal static string? Statement(this TraceSpan span) => span[SpanAttributes.DbQueryText] ?? span[SpanAttributes.DbStatement];

    internal static TraceSpanEvent? FirstException(this TraceSpan span)
    {
        foreach (var e in span.Events)
        {
            if (e.Name == ExceptionEvent)
            {
                return e;
            }
        }

        return null;
    }

    internal static int? StatusCode(this TraceSpan span) =>
        int.TryParse(span[SpanAttributes.HttpResponseStatusCode] ?? span[SpanAttributes.HttpStatusCode], out var status) ? status : null;
}
