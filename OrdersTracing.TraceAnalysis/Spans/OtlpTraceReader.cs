using System.Globalization;
using System.Text.Json;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Reads OTLP/JSON traces as the trace stores serve them: the Aspire dashboard wraps them in <c>{"data": ...}</c>,
/// Jaeger v2's <c>/api/v3/traces/{id}</c> in <c>{"result": ...}</c>, an OTLP file has no wrapper.
/// </summary>
/// <remarks>
/// OTLP/JSON writes ids as hex, but the generic proto3 JSON mapping of <c>bytes</c> (which Jaeger's api_v3
/// OpenAPI schema declares and its first api_v3 gateway produced) writes base64; both are accepted and
/// every id comes out as lowercase hex. Enums and 64-bit integers are accepted as numbers or strings.
/// </remarks>
public static class OtlpTraceReader
{
    private const string UnknownService = "unknown_service";

    public static IReadOnlyList<TraceSpan> Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);

        using var document = JsonDocument.Parse(json);
        var spans = new List<TraceSpan>();

        foreach (var resourceSpans in Items(Unwrap(document.RootElement), "resourceSpans"))
        {
            var resource = resourceSpans.TryGetProperty("resource", out var resourceElement) ? ReadAttributes(resourceElement) : [];
            var service = resource.GetValueOrDefault(SpanAttributes.ServiceName, UnknownService);
            foreach (var scopeSpans in Items(resourceSpans, "scopeSpans"))
            {
                var scope = scopeSpans.TryGetProperty("scope", out var scopeElement) ? String(scopeElement, "name") ?? "" : "";
                spans.AddRange(Items(scopeSpans, "spans").Select(span => ReadSpan(span, service) with { Scope = scope, Resource = resource }));
            }
        }

        return spans;
    }

    private static JsonElement Unwrap(JsonElement root)
    {
        foreach (var wrapper in (string[])["data", "result"])
        {
            if (root.TryGetProperty(wrapper, out var inner) && inner.ValueKind == JsonValueKind.Object)
            {
                return inner;
            }
        }

        return root;
    }

    private static TraceSpan ReadSpan(JsonElement span, string service)
    {
        var startTicks = UnixNanoTicks(span, "startTimeUnixNano");
        var endTicks = Math.Max(startTicks, UnixNanoTicks(span, "endTimeUnixNano"));
        var status = span.TryGetProperty("status", out var statusElement) ? statusElement : default;

        return new TraceSpan(
            Id(span, "traceId") ?? "",
            Id(span, "spanId") ?? "",
            Id(span, "parentSpanId"),
            String(span, "name") ?? "",
            (TraceSpanKind)Enum(span, "kind", "SPAN_KIND_"),
            service,
            DateTimeOffset.UnixEpoch.AddTicks(startTicks),
            TimeSpan.FromTicks(endTicks - startTicks),
            ReadAttributes(span),
            status.ValueKind == JsonValueKind.Object ? (TraceSpanStatus)Enum(status, "code", "STATUS_CODE_") : TraceSpanStatus.Unset,
            status.ValueKind == JsonValueKind.Object ? String(status, "message") : null,
            [.. Items(span, "events").Select(e => new TraceSpanEvent(
                String(e, "name") ?? "", DateTimeOffset.UnixEpoch.AddTicks(UnixNanoTicks(e, "timeUnixNano")), ReadAttributes(e)))],
            [.. Items(span, "links").Select(link => new TraceSpanLink(Id(link, "traceId") ?? "", Id(link, "spanId") ?? ""))]);
    }

    private static IEnumerable<JsonElement> Items(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray()
            : [];

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long UnixNanoTicks(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return 0;
        }

        var nanos = value.ValueKind == JsonValueKind.String
            ? ulong.Parse(value.GetString()!, CultureInfo.InvariantCulture)
            : value.GetUInt64();
        return (long)(nanos / 100);
    }

    /// <summary>protojson may write an enum as its number or as its name, e.g. <c>SPAN_KIND_SERVER</c>.</summary>
    private static int Enum(JsonElement element, string name, string prefix)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return 0;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            return value.GetInt32();
        }

        var text = value.GetString() ?? "";
        return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] switch
        {
            "INTERNAL" => 1,
            "SERVER" => 2,
            "CLIENT" => 3,
            "PRODUCER" => 4,
            "CONSUMER" => 5,
            "OK" => 1,
            "ERROR" => 2,
            _ => 0,
        } : 0;
    }

    private static string? Id(JsonElement element, string name) =>
        String(element, name) is { Length: > 0 } id ? NormaliseId(id) : null;

    /// <summary>A trace id is 16 bytes and a span id 8: 32 or 16 hex digits, or 24 or 12 base64 characters.</summary>
    internal static string NormaliseId(string id)
    {
        if (id.Length is 16 or 32 && id.All(char.IsAsciiHexDigit))
        {
            return id.ToLowerInvariant();
        }

        var base64 = id.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, bytes, out var written)
            ? Convert.ToHexStringLower(bytes, 0, written)
            : id.ToLowerInvariant();
    }

    private static Dictionary<string, string> ReadAttributes(JsonElement element) =>
        Items(element, "attributes")
            .Where(attribute => String(attribute, "key") is not null)
            .GroupBy(attribute => String(attribute, "key")!)
            .ToDictionary(group => group.Key, group => group.Last().TryGetProperty("value", out var value) ? AnyValue(value) : "");

    /// <summary>OTLP's AnyValue as text: scalars in invariant culture, arrays and maps as their JSON.</summary>
    private static string AnyValue(JsonElement value)
    {
        foreach (var property in value.EnumerateObject())
        {
            return property.Name switch
            {
                "stringValue" => property.Value.GetString() ?? "",
                "boolValue" => property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!.ToLowerInvariant()
                    : property.Value.GetBoolean() ? "true" : "false",
                "intValue" => property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetInt64().ToString(CultureInfo.InvariantCulture),
                "doubleValue" => property.Value.ValueKind == JsonValueKind.String
                    ? property.Value.GetString()!
                    : property.Value.GetDouble().ToString("R", CultureInfo.InvariantCulture),
                "arrayValue" => "[" + string.Join(",", Items(property.Value, "values").Select(AnyValue)) + "]",
                _ => property.Value.GetRawText(),
            };
        }

        return "";
    }
}
