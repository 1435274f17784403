using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

/// <summary>Builds a trace by hand, times in milliseconds from the trace's start, services inherited from the parent.</summary>
internal sealed class TraceBuilder
{
    public static readonly DateTimeOffset Origin = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private static long lastSpanId;

    private readonly string traceId = Guid.NewGuid().ToString("N");
    private readonly List<TraceSpan> spans = [];

    public IReadOnlyList<TraceSpan> Spans => spans;

    public TraceSpan Span(
        string name,
        double startMs,
        double durationMs,
        TraceSpan? parent = null,
        string? service = null,
        TraceSpanKind kind = TraceSpanKind.Internal,
        TraceSpanStatus status = TraceSpanStatus.Unset,
        params (string Key, string Value)[] attributes)
    {
        var span = new TraceSpan(
            traceId,
            Interlocked.Increment(ref lastSpanId).ToString("x16"),
            parent?.SpanId,
            name,
            kind,
            service ?? parent?.Service ?? "web",
            Origin.AddMilliseconds(startMs),
            TimeSpan.FromMilliseconds(durationMs),
            attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value),
            status,
            null,
            [],
            []);
        spans.Add(span);
        return span;
    }

    /// <summary>Marks a span failed as the services do: status Error, and an <c>exception</c> event where something was thrown.</summary>
    public TraceSpan Fail(TraceSpan span, string? exceptionType = null, string? message = null)
    {
        var failed = span with
        {
            Status = TraceSpanStatus.Error,
            StatusMessage = message,
            Events = exceptionType is null ? [] :
            [
                new TraceSpanEvent("exception", span.End, new Dictionary<string, string>
                {
                    ["exception.type"] = exceptionType,
                    ["exception.message"] = message ?? "",
                }),
            ],
        };
        spans[spans.IndexOf(span)] = failed;
        return failed;
    }

    public TraceSpan Query(string statement, double startMs, double durationMs, TraceSpan parent) =>
        Span("postgresql", startMs, durationMs, parent, kind: TraceSpanKind.Client,
            attributes: [("db.system.name", "postgresql"), ("db.query.text", statement)]);

    /// <summary>A physical connection open as Npgsql records it: a database span without a statement.</summary>
    public TraceSpan Connect(double startMs, double durationMs, TraceSpan parent) =>
        Span("CONNECT ordersdb", startMs, durationMs, parent, kind: TraceSpanKind.Client, attributes: [("db.system.name", "postgresql")]);

    /// <summary>
    /// The order creation trace of the reference design: POST /orders 420 ms in web; auth.getSession 5 ms;
    /// POST /api/orders 400 ms in api with an insert 50 ms, the Stripe call 300 ms and an update 45 ms; cache.set
    /// 10 ms; laid out one after the other with a millisecond between steps.
    /// </summary>
    public static IReadOnlyList<TraceSpan> ReferenceOrderTrace()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("POST /orders", 0, 420, service: "web", kind: TraceSpanKind.Server);
        trace.Span("auth.getSession", 1, 5, root);
        var api = trace.Span("POST /api/orders", 7, 400, root, service: "api", kind: TraceSpanKind.Server);
        trace.Query("INSERT INTO orders (id, total) VALUES ($1, $2)", 9, 50, api);
        trace.Span("stripe.PaymentIntent.create", 60, 300, api, kind: TraceSpanKind.Client,
            attributes: [("server.address", "api.stripe.com"), ("http.request.method", "POST")]);
        trace.Query("UPDATE orders SET status = $1 WHERE id = $2", 361, 45, api);
        trace.Span("cache.set", 408, 10, root, kind: TraceSpanKind.Client);
        return trace.Spans;
    }
}
