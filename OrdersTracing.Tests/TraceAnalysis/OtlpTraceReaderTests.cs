using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class OtlpTraceReaderTests
{
    private const string TraceIdHex = "4bf92f3577b34da6a3ce929d0e0e4736";
    private const string TraceIdBase64 = "S/kvNXezTaajzpKdDg5HNg==";
    private const string RootIdHex = "00f067aa0ba902b7";
    private const string RootIdBase64 = "APBnqgupArc=";
    private const string ChildIdHex = "53995c3f42cd8ad8";
    private const string ChildIdBase64 = "U5lcP0LNitg=";

    [Fact]
    public void A_trace_from_the_dashboard_reads_with_its_service_timing_status_events_and_links()
    {
        const string json = $$$"""
            {"data":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"api"}}]},
              "scopeSpans":[{"scope":{"name":"Microsoft.AspNetCore"},"spans":[{
                "traceId":"{{{TraceIdHex}}}","spanId":"{{{ChildIdHex}}}","parentSpanId":"{{{RootIdHex}}}","name":"POST /api/orders","kind":2,
                "startTimeUnixNano":"1767268800000000000","endTimeUnixNano":"1767268800400000000",
                "attributes":[{"key":"http.response.status_code","value":{"stringValue":"500"}}],
                "status":{"code":2,"message":"payment failed"},
                "events":[{"timeUnixNano":"1767268800100000000","name":"exception","attributes":[{"key":"exception.type","value":{"stringValue":"HttpRequestException"}}]}],
                "links":[{"traceId":"{{{TraceIdHex}}}","spanId":"{{{RootIdHex}}}"}]}]}]}]}}
            """;

        var span = Assert.Single(OtlpTraceReader.Read(json));

        Assert.Equal(
            (TraceIdHex, ChildIdHex, RootIdHex, "POST /api/orders", TraceSpanKind.Server, "api"),
            (span.TraceId, span.SpanId, span.ParentSpanId, span.Name, span.Kind, span.Service));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero), span.Start);
        Assert.Equal(TimeSpan.FromMilliseconds(400), span.Duration);
        Assert.Equal("500", span["http.response.status_code"]);
        Assert.Equal((TraceSpanStatus.Error, "payment failed"), (span.Status, span.StatusMessage));
        var exception = Assert.Single(span.Events);
        Assert.Equal(("exception", "HttpRequestException"), (exception.Name, exception.Attributes["exception.type"]));
        Assert.Equal(new TraceSpanLink(TraceIdHex, RootIdHex), Assert.Single(span.Links));
    }

    [Theory]
    [InlineData(TraceIdHex, RootIdHex, ChildIdHex)]
    [InlineData(TraceIdBase64, RootIdBase64, ChildIdBase64)]
    public void A_trace_from_jaeger_reads_with_hex_or_base64_ids_and_typed_attribute_values(string traceId, string rootId, string childId)
    {
        var json = $$$"""
            {"result":{"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"web"}}]},
              "scopeSpans":[{"scope":{"name":"System.Net.Http"},"spans":[
                {"traceId":"{{{traceId}}}","spanId":"{{{rootId}}}","name":"POST /orders","kind":2,
                 "startTimeUnixNano":"1767268800000000000","endTimeUnixNano":"1767268800420000000","status":{}},
                {"traceId":"{{{traceId}}}","spanId":"{{{childId}}}","parentSpanId":"{{{rootId}}}","name":"POST","kind":3,
                 "startTimeUnixNano":"1767268800007000000","endTimeUnixNano":"1767268800407000000",
                 "attributes":[{"key":"http.response.status_code","value":{"intValue":"201"}},
                               {"key":"retry","value":{"boolValue":false}},
                               {"key":"sample.ratio","value":{"doubleValue":0.25}}],
                 "status":{"code":1}}]}]}]}}
            """;

        var spans = OtlpTraceReader.Read(json);

        Assert.Equal([(TraceIdHex, RootIdHex, null), (TraceIdHex, ChildIdHex, RootIdHex)],
            spans.Select(span => (span.TraceId, span.SpanId, span.ParentSpanId)));
        var client = spans[1];
        Assert.Equal(("201", "false", "0.25"), (client["http.response.status_code"], client["retry"], client["sample.ratio"]));
        Assert.Equal((TraceSpanKind.Client, TraceSpanStatus.Ok), (client.Kind, client.Status));
        Assert.Equal(TraceSpanStatus.Unset, spans[0].Status);
    }

    [Fact]
    public void An_otlp_file_without_a_wrapper_reads_and_a_missing_service_name_is_unknown_service()
    {
        const string json = $$$"""
            {"resourceSpans":[{"resource":{},"scopeSpans":[{"spans":[
              {"traceId":"{{{TraceIdHex}}}","spanId":"{{{RootIdHex}}}","parentSpanId":"","name":"work","kind":"SPAN_KIND_INTERNAL",
               "startTimeUnixNano":1767268800000000000,"endTimeUnixNano":1767268800005000000,
               "status":{"code":"STATUS_CODE_ERROR"}}]}]}]}
            """;

        var span = Assert.Single(OtlpTraceReader.Read(json));

        Assert.Equal(("unknown_service", null, TraceSpanKind.Internal, TraceSpanStatus.Error), (span.Service, span.ParentSpanId, span.Kind, span.Status));
        Assert.Equal(TimeSpan.FromMilliseconds(5), span.Duration);
    }
}
