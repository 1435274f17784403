namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>One span as the relay keeps it after validation: ids as bytes, only allowed attributes.</summary>
public sealed record BrowserSpan(
    byte[] TraceId,
    byte[] SpanId,
    byte[]? ParentSpanId,
    string Name,
    int Kind,
    ulong StartTimeUnixNano,
    ulong EndTimeUnixNano,
    IReadOnlyList<BrowserAttribute> Attributes,
    IReadOnlyList<BrowserSpanEvent> Events,
    int StatusCode,
    string? StatusMessage);

public sealed record BrowserSpanEvent(string Name, ulong TimeUnixNano);

/// <summary>An attribute value is a string, an integer, a double or a bool: the instrumentations write nothing else.</summary>
public sealed record BrowserAttribute(string Key, object Value);

/// <summary>The spans of one instrumentation scope.</summary>
public sealed record BrowserScope(string Name, string? Version, IReadOnlyList<BrowserSpan> Spans);
