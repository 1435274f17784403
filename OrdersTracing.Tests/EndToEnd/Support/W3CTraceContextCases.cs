namespace OrdersTracing.Tests.EndToEnd;

/// <summary>What the W3C Trace Context specification asks of a service that continues its callers' traces.</summary>
public enum SpecExpects
{
    /// <summary>The context is invalid or absent: the service starts a new trace.</summary>
    NewTrace,

    /// <summary>The <c>traceparent</c> is valid: the service continues trace <see cref="W3CTraceContextCases.TraceId"/>.</summary>
    SameTrace,
}

/// <summary>One request of the test suite: the headers it sends and what the specification expects.</summary>
public sealed record TraceContextCase(string Name, IReadOnlyList<(string Name, string Value)> Headers, SpecExpects Expects)
{
    public override string ToString() => $"{Name}: " + string.Join(" ", Headers.Select(header => $"[{header.Name}: {header.Value}]"));
}

/// <summary>
/// The cases of the official test suite, w3c/trace-context <c>test/test.py</c>, with its ids, plus the hostile inputs
/// the suite leaves out (uppercase hex, oversized tracestate and baggage). Two headers of one name reach the server as
/// one comma-joined header: HttpClient writes them that way, as HTTP allows. The suite's tracestate cases send an
/// unsampled traceparent; here it is sampled, so that the spans that show which trace the service chose are recorded.
/// </summary>
public static class W3CTraceContextCases
{
    public const string TraceId = "12345678901234567890123456789012";
    public const string ParentId = "1234567890123456";

    private const string Valid = $"00-{TraceId}-{ParentId}-01";

    public static IReadOnlyList<TraceContextCase> All { get; } =
    [
        New("no trace context"),
        New("duplicated traceparent", ("traceparent", "00-12345678901234567890123456789011-1234567890123456-01"), ("traceparent", Valid)),
        New("header named trace-parent", ("trace-parent", Valid)),
        New("header named trace.parent", ("trace.parent", Valid)),
        Same("header named TraceParent", ("TraceParent", Valid)),
        Same("header named TrAcEpArEnT", ("TrAcEpArEnT", Valid)),
        Same("header named TRACEPARENT", ("TRACEPARENT", Valid)),
        New("version 00 with a trailing dot", ("traceparent", Valid + ".")),
        New("version 00 with trailing data", ("traceparent", Valid + "-what-the-future-will-be-like")),
        Same("future version cc", ("traceparent", $"cc-{TraceId}-{ParentId}-01")),
        Same("future version cc with trailing data", ("traceparent", $"cc-{TraceId}-{ParentId}-01-what-the-future-will-be-like")),
        New("future version cc with a trailing dot and data", ("traceparent", $"cc-{TraceId}-{ParentId}-01.what-the-future-will-be-like")),
        New("version ff", ("traceparent", $"ff-{TraceId}-{ParentId}-01")),
        New("version .0", ("traceparent", $".0-{TraceId}-{ParentId}-01")),
        New("version 0.", ("traceparent", $"0.-{TraceId}-{ParentId}-01")),
        New("version 000", ("traceparent", $"000-{TraceId}-{ParentId}-01")),
        New("version 0000", ("traceparent", $"0000-{TraceId}-{ParentId}-01")),
        New("version 0", ("traceparent", $"0-{TraceId}-{ParentId}-01")),
        New("all-zero trace id", ("traceparent", $"00-00000000000000000000000000000000-{ParentId}-01")),
        New("trace id starting with a dot", ("traceparent", $"00-.2345678901234567890123456789012-{ParentId}-01")),
        New("trace id ending with a dot", ("traceparent", $"00-1234567890123456789012345678901.-{ParentId}-01")),
        New("trace id of 33 digits", ("traceparent", $"00-123456789012345678901234567890123-{ParentId}-01")),
        New("trace id of 31 digits", ("traceparent", $"00-1234567890123456789012345678901-{ParentId}-01")),
        New("uppercase trace id", ("traceparent", $"00-ABCDEF78901234567890123456789012-{ParentId}-01")),
        New("all-zero parent id", ("traceparent", $"00-{TraceId}-0000000000000000-01")),
        New("parent id starting with a dot", ("traceparent", $"00-{TraceId}-.234567890123456-01")),
        New("parent id ending with a dot", ("traceparent", $"00-{TraceId}-123456789012345.-01")),
        New("parent id of 17 digits", ("traceparent", $"00-{TraceId}-12345678901234567-01")),
        New("parent id of 15 digits", ("traceparent", $"00-{TraceId}-123456789012345-01")),
        New("uppercase parent id", ("traceparent", $"00-{TraceId}-ABCDEF7890123456-01")),
        New("flags .0", ("traceparent", $"00-{TraceId}-{ParentId}-.0")),
        New("flags 0.", ("traceparent", $"00-{TraceId}-{ParentId}-0.")),
        New("flags 001", ("traceparent", $"00-{TraceId}-{ParentId}-001")),
        New("flags 1", ("traceparent", $"00-{TraceId}-{ParentId}-1")),
        Same("leading space", ("traceparent", " " + Valid)),
        Same("leading tab", ("traceparent", "\t" + Valid)),
        Same("trailing space", ("traceparent", Valid + " ")),
        Same("trailing tab", ("traceparent", Valid + "\t")),
        Same("leading and trailing whitespace", ("traceparent", "\t " + Valid + " \t")),
        New("tracestate without traceparent", ("tracestate", "foo=1,bar=2")),
        Same("tracestate with traceparent", ("traceparent", Valid), ("tracestate", "foo=1,bar=2")),
        Same("header named trace-state", ("traceparent", Valid), ("trace-state", "foo=1")),
        Same("empty tracestate", ("traceparent", Valid), ("tracestate", "")),
        Same("three tracestate headers", ("traceparent", Valid), ("tracestate", "foo=1,bar=2"), ("tracestate", "rojo=1,congo=2"), ("tracestate", "baz=3")),
        Same("tracestate with a duplicated key", ("traceparent", Valid), ("tracestate", "foo=1,foo=2")),
        Same("tracestate key with a space", ("traceparent", Valid), ("tracestate", "foo =1")),
        Same("tracestate key in capitals", ("traceparent", Valid), ("tracestate", "FOO=1")),
        Same("tracestate key with a dot", ("traceparent", Valid), ("tracestate", "foo.bar=1")),
        Same("tracestate with an illegal vendor", ("traceparent", Valid), ("tracestate", "foo@@bar=1,bar=2")),
        Same("tracestate of 32 members", ("traceparent", Valid), ("tracestate", Members(32))),
        Same("tracestate of 33 members", ("traceparent", Valid), ("tracestate", Members(33))),
        Same("tracestate of 513 characters", ("traceparent", Valid), ("tracestate", "foo=" + new string('x', 509))),
        Same("tracestate key of 257 characters", ("traceparent", Valid), ("tracestate", new string('k', 257) + "=1")),
        Same("tracestate value with a comma", ("traceparent", Valid), ("tracestate", "foo=1,bar=2,baz=,")),
        Same("baggage of 200 members, 8 KB", ("traceparent", Valid), ("baggage", string.Join(",", Enumerable.Range(0, 200).Select(i => $"key{i}={new string('v', 32)}")))),
        Same("baggage of one 8 KB value", ("traceparent", Valid), ("baggage", "big=" + new string('v', 8192))),
        Same("malformed baggage", ("traceparent", Valid), ("baggage", "=;,,=%zz,k=v=w,%")),
    ];

    private static TraceContextCase New(string name, params (string Name, string Value)[] headers) => new(name, headers, SpecExpects.NewTrace);

    private static TraceContextCase Same(string name, params (string Name, string Value)[] headers) => new(name, headers, SpecExpects.SameTrace);

    private static string Members(int count) => string.Join(",", Enumerable.Range(0, count).Select(i => $"k{i}={i}"));
}
