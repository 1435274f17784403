using System.Diagnostics;
using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Reads a span's attributes into a <see cref="DetectedSpan"/>: the one mapping from OpenTelemetry's semantic
/// conventions to the detectors' model, fed tag by tag by the live processors and by the stored-trace analysis alike.
/// </summary>
/// <remarks>
/// Every span of a service comes through here, so a tag that is not one of ours costs a length and a first-character
/// test and nothing is allocated. A database span is one with <c>db.system.name</c> (<c>db.system</c> before semantic
/// conventions 1.26); it is a SQL query when it carries a statement and its system is not a cache or key-value store.
/// </remarks>
public ref struct DetectedSpanReader
{
    private string? databaseSystem;
    private string? queryText;
    private string? olderStatement;
    private string? method;
    private string? url;
    private string? olderUrl;
    private long responseBodySize;

    public void Accept(string key, object? value)
    {
        if (key.Length < 6)
        {
            return;
        }

        switch (key[0])
        {
            case 'd' when key[1] == 'b':
                AcceptDatabase(key, value);
                break;
            case 'h' when key[1] == 't':
                AcceptHttp(key, value);
                break;
            case 'u' when key[1] == 'r':
                if (key == SpanAttributes.UrlFull)
                {
                    url = value as string;
                }

                break;
        }
    }

    /// <summary>What the tags read so far make of a span with these ids, times and kind.</summary>
    public readonly DetectedSpan Build(
        ActivitySpanId spanId, ActivitySpanId parentSpanId, long startTicks, long endTicks, bool isClient, string name, Func<string, string> normalise)
    {
        if (databaseSystem is not null)
        {
            var statement = queryText ?? olderStatement;
            var kind = IsStore(databaseSystem) ? DetectedSpanKind.Store
                : statement is null ? DetectedSpanKind.Connection
                : DetectedSpanKind.Query;
            return new DetectedSpan(spanId, parentSpanId, startTicks, endTicks, kind, name,
                kind == DetectedSpanKind.Query ? normalise(statement!) : statement, statement, null, 0);
        }

        if (isClient && method is not null)
        {
            var called = url ?? olderUrl;
            return new DetectedSpan(spanId, parentSpanId, startTicks, endTicks, DetectedSpanKind.HttpClient, name,
                called is null ? null : UrlTemplate.Of(called), called, method, responseBodySize);
        }

        return new DetectedSpan(spanId, parentSpanId, startTicks, endTicks, DetectedSpanKind.Other, name, null, null, method, responseBodySize);
    }

    /// <summary>
    /// Caches and key-value stores by their <c>db.system.name</c> values in the semantic conventions: Sentry's N+1
    /// detector excludes <c>db.redis</c> spans the same way (<c>_is_db_op</c>).
    /// </summary>
    public static bool IsStore(string databaseSystem) => databaseSystem switch
    {
        "redis" or "memcached" or "valkey" or "hazelcast" or "geode" or "coherence" or "aerospike" or "etcd" => true,
        _ => false,
    };

    private void AcceptDatabase(string key, object? value)
    {
        switch (key)
        {
            case SpanAttributes.DbSystemName:
            case SpanAttributes.DbSystem:
                databaseSystem = value as string ?? databaseSystem ?? "";
                break;
            case SpanAttributes.DbQueryText:
                queryText = value as string;
                break;
            case SpanAttributes.DbStatement:
                olderStatement = value as string;
                break;
        }
    }

    private void AcceptHttp(string key, object? value)
    {
        switch (key)
        {
            case SpanAttributes.HttpRequestMethod:
            case SpanAttributes.HttpMethod:
                method = value as string ?? method;
                break;
            case SpanAttributes.HttpUrl:
                olderUrl = value as string;
                break;
            case SpanAttributes.HttpResponseBodySize:
            case SpanAttributes.HttpResponseContentLength:
                responseBodySize = value switch
                {
                    long size => size,
                    int size => size,
                    string text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) => size,
                    _ => responseBodySize,
                };
                break;
        }
    }
}
