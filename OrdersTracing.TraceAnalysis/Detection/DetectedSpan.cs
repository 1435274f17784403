using System.Diagnostics;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// What the detectors need of one span, the same whether it comes from a live <see cref="Activity"/> or from a stored
/// trace: a struct of references and numbers, so that the live processors can keep one per span without allocating.
/// </summary>
/// <param name="Statement">For a query, the normalised statement; for an HTTP call, the URL template; else null.</param>
/// <param name="Text">For a query, the statement as sent; for an HTTP call, the URL as called; else null.</param>
/// <param name="ResponseBodySize">The response body's size in bytes where the span records it, else 0.</param>
public readonly record struct DetectedSpan(
    ActivitySpanId SpanId,
    ActivitySpanId ParentSpanId,
    long StartTicks,
    long EndTicks,
    DetectedSpanKind Kind,
    string Name,
    string? Statement,
    string? Text,
    string? Method,
    long ResponseBodySize)
{
    public TimeSpan Duration => TimeSpan.FromTicks(EndTicks - StartTicks);

    public bool IsQuery => Kind == DetectedSpanKind.Query;
}

/// <summary>How the detectors see a span, mapped from OpenTelemetry's attributes by <see cref="DetectedSpanReader"/>.</summary>
public enum DetectedSpanKind
{
    /// <summary>Anything else: a handler's span, a server span, a message.</summary>
    Other,

    /// <summary>A SQL database span with a statement: the only kind that makes an N+1 DB.</summary>
    Query,

    /// <summary>A database span without a statement: Npgsql's connection open. The detectors pass over it.</summary>
    Connection,

    /// <summary>A command of a cache or key-value store (Redis, Memcached...): a database span, never a SQL query.</summary>
    Store,

    /// <summary>An outgoing HTTP call (a client span with an HTTP method).</summary>
    HttpClient,
}
