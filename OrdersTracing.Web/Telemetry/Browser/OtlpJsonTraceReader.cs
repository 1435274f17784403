using System.Globalization;
using System.Text.Json;
using OrdersTracing.ServiceDefaults.Telemetry.Redaction;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// Reads an OTLP/JSON trace export (what @opentelemetry/exporter-trace-otlp-http sends) into validated
/// <see cref="BrowserScope"/>s, keeping only what the relay forwards: resources are dropped (the relay sets its own),
/// attributes are cut to the allow-list and redacted by the services' own rule (<see cref="TelemetryRedaction"/>). Anything that is not a well-formed export is refused whole.
/// </summary>
public static class OtlpJsonTraceReader
{
    private const int MaxNameLength = 128;

    public static (IReadOnlyList<BrowserScope>? Scopes, string? Error) Read(ReadOnlySpan<byte> json, BrowserTelemetryOptions limits)
    {
        try
        {
            using var document = JsonDocument.Parse(json.ToArray(), new JsonDocumentOptions { MaxDepth = 16 });
            var scopes = new List<BrowserScope>();
            var spanCount = 0;
            foreach (var resourceSpans in RequiredArray(document.RootElement, "resourceSpans"))
            {
                foreach (var scopeSpans in OptionalArray(resourceSpans, "scopeSpans"))
                {
                    var scope = scopeSpans.TryGetProperty("scope", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;
                    var spans = new List<BrowserSpan>();
                    foreach (var span in OptionalArray(scopeSpans, "spans"))
                    {
                        if (++spanCount > limits.MaxSpansPerRequest)
                        {
                            return (null, $"An export holds at most {limits.MaxSpansPerRequest} spans.");
                        }

                        spans.Add(ReadSpan(span, limits));
                    }

                    scopes.Add(new BrowserScope(
                        Truncate(OptionalString(scope, "name") ?? "", MaxNameLength),
                        OptionalString(scope, "version") is { } version ? Truncate(version, MaxNameLength) : null,
                        spans));
                }
            }

            return (scopes, null);
        }
        catch (JsonException exception)
        {
            return (null, $"The body is not OTLP/JSON: {exception.Message}");
        }
        catch (FormatException exception)
        {
            return (null, exception.Message);
        }
        catch (InvalidOperationException exception)
        {
            return (null, $"The body is not OTLP/JSON: {exception.Message}");
        }
    }

    private static BrowserSpan ReadSpan(JsonElement span, BrowserTelemetryOptions limits)
    {
        var traceId = HexId(RequiredString(span, "traceId"), 16, "traceId");
        var spanId = HexId(RequiredString(span, "spanId"), 8, "spanId");
        var parent = OptionalString(span, "parentSpanId") is { Length: > 0 } parentId ? HexId(parentId, 8, "parentSpanId") : null;
        var start = UnixNano(span, "startTimeUnixNano");
        var end = UnixNano(span, "endTimeUnixNano");
        if (end < start)
        {
            throw new FormatException("A span cannot end before it starts.");
        }

        var kind = span.TryGetProperty("kind", out var k) ? k.GetInt32() : 0;
        if (kind is < 0 or > 5)
        {
            throw new FormatException("A span's kind is 0 to 5.");
        }

        var status = span.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Object ? st : default;
        var statusCode = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("code", out var code) ? code.GetInt32() : 0;
        if (statusCode is < 0 or > 2)
        {
            throw new FormatException("A span's status code is 0 to 2.");
        }

        var statusMessage = OptionalString(status, "message") is { Length: > 0 } message
            ? Scrub(message, isUrl: false, limits.MaxValueLength)
            : null;

        return new BrowserSpan(
            traceId, spanId, parent,
            Scrub(RequiredString(span, "name"), isUrl: false, MaxNameLength),
            kind, start, end,
            ReadAttributes(span, limits),
            OptionalArray(span, "events")
                .Take(limits.MaxEventsPerSpan)
                .Select(e => new BrowserSpanEvent(Scrub(RequiredString(e, "name"), isUrl: false, MaxNameLength), UnixNano(e, "timeUnixNano")))
                .ToList(),
            statusCode, statusMessage);
    }

    private static List<BrowserAttribute> ReadAttributes(JsonElement span, BrowserTelemetryOptions limits)
    {
        var attributes = new List<BrowserAttribute>();
        foreach (var attribute in OptionalArray(span, "attributes"))
        {
            var key = RequiredString(attribute, "key");
            if (!BrowserTelemetryNames.AllowedAttributes.Contains(key) || attributes.Count >= limits.MaxAttributesPerSpan
                || !attribute.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            object? scalar =
                value.TryGetProperty("stringValue", out var text) && text.ValueKind == JsonValueKind.String
                    ? Scrub(text.GetString()!, BrowserTelemetryNames.UrlAttributes.Contains(key), limits.MaxValueLength)
                : value.TryGetProperty("intValue", out var integer) ? Int64(integer)
                : value.TryGetProperty("doubleValue", out var real) && real.ValueKind == JsonValueKind.Number ? real.GetDouble()
                : value.TryGetProperty("boolValue", out var flag) && flag.ValueKind is JsonValueKind.True or JsonValueKind.False ? flag.GetBoolean()
                : null;
            if (scalar is not null)
            {
                attributes.Add(new BrowserAttribute(key, scalar));
            }
        }

        return attributes;
    }

    private static long Int64(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? long.Parse(value.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture)
        : value.GetInt64();

    private static ulong UnixNano(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            throw new FormatException($"'{name}' is missing.");
        }

        return value.ValueKind == JsonValueKind.String
            ? ulong.Parse(value.GetString()!, NumberStyles.None, CultureInfo.InvariantCulture)
            : value.GetUInt64();
    }

    private static byte[] HexId(string hex, int bytes, string name)
    {
        if (hex.Length != bytes * 2 || !hex.All(Uri.IsHexDigit))
        {
            throw new FormatException($"'{name}' is {bytes * 2} hexadecimal digits.");
        }

        var id = Convert.FromHexString(hex);
        return id.All(b => b == 0) ? throw new FormatException($"'{name}' cannot be all zeros.") : id;
    }

    private static string RequiredString(JsonElement element, string name) =>
        OptionalString(element, name) ?? throw new FormatException($"'{name}' is missing.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static JsonElement.ArrayEnumerator RequiredArray(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : throw new FormatException($"'{name}' is missing or not an array.");

    private static IEnumerable<JsonElement> OptionalArray(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray()
            : [];

    private static string Truncate(string value, int length) => value.Length > length ? value[..length] : value;

    /// <summary>The services' own redaction rule, then the length limit an SDK's attribute value limit would apply.</summary>
    private static string Scrub(string value, bool isUrl, int maxLength) => Truncate(TelemetryRedaction.Redact(value, isUrl), maxLength);
}
