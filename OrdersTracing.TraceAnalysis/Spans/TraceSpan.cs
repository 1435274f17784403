namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// One span of a trace as read back from a trace store, independent of the store's JSON shape, so the analyses
/// work the same on spans from the Aspire dashboard and from Jaeger.
/// </summary>
/// <param name="TraceId">Lowercase hex, 32 characters, whatever encoding the JSON used.</param>
/// <param name="SpanId">Lowercase hex, 16 characters.</param>
/// <param name="ParentSpanId">Lowercase hex, or null for a span without a parent.</param>
/// <param name="Service">The resource's <c>service.name</c>.</param>
public sealed record TraceSpan(
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    TraceSpanKind Kind,
    string Service,
    DateTimeOffset Start,
    TimeSpan Duration,
    IReadOnlyDictionary<string, string> Attributes,
    TraceSpanStatus Status,
    string? StatusMessage,
    IReadOnlyList<TraceSpanEvent> Events,
    IReadOnlyList<TraceSpanLink> Links)
{
    public DateTimeOffset End => Start + Duration;

    /// <summary>The instrumentation scope that made the span, e.g. <c>Npgsql</c> or <c>System.Net.Http</c>.</summary>
    public string Scope { get; init; } = "";

    /// <summary>The attributes of the resource that sent the span: <c>service.version</c>, <c>deployment.environment</c>, ...</summary>
    public IReadOnlyDictionary<string, string> Resource { get; init; } = new Dictionary<string, string>();

    public string? this[string attribute] => Attributes.GetValueOrDefault(attribute);

    public override string ToString() => $"{Service}: {Name} ({Duration.TotalMilliseconds} ms, span {SpanId})";
}

/// <summary>The OTLP span kinds, numbered as OTLP numbers them (not as <c>ActivityKind</c> does).</summary>
public enum TraceSpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>The OTLP status codes, numbered as OTLP numbers them.</summary>
public enum TraceSpanStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

public sealed record TraceSpanEvent(string Name, DateTimeOffset Time, IReadOnlyDictionary<string, string> Attributes);

public sealed record TraceSpanLink(string TraceId, string SpanId);
