using System.Text;
using System.Text.Json;

namespace OrdersTracing.Tests.EndToEnd.Support;

/// <summary>OTLP/JSON trace exports as a browser's exporter sends them, or as anyone could forge them.</summary>
public static class OtlpJsonExports
{
    public const string RelayPath = "/telemetry/v1/traces";

    /// <summary>One span, claiming <paramref name="resource"/> as its resource, with <paramref name="attributes"/> as string attributes.</summary>
    public static string Span(
        string traceId, string spanId, string name = "documentLoad",
        IReadOnlyDictionary<string, string>? resource = null, IReadOnlyDictionary<string, string>? attributes = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000;
        return JsonSerializer.Serialize(new
        {
            resourceSpans = new[]
            {
                new
                {
                    resource = new { attributes = KeyValues(resource ?? new Dictionary<string, string> { ["service.name"] = "browser-page" }) },
                    scopeSpans = new[]
                    {
                        new
                        {
                            scope = new { name = "@opentelemetry/instrumentation-document-load", version = "0.68.0" },
                            spans = new[]
                            {
                                new
                                {
                                    traceId, spanId, name, kind = 1,
                                    startTimeUnixNano = (now - 50_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture),
                                    endTimeUnixNano = now.ToString(System.Globalization.CultureInfo.InvariantCulture),
                                    attributes = KeyValues(attributes ?? new Dictionary<string, string>()),
                                    events = new[] { new { name = "fetchStart", timeUnixNano = (now - 40_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) } },
                                    status = new { code = 0 },
                                },
                            },
                        },
                    },
                },
            },
        });
    }

    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static object[] KeyValues(IReadOnlyDictionary<string, string> values) =>
        [.. values.Select(pair => new { key = pair.Key, value = new { stringValue = pair.Value } })];
}
