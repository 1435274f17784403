using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>The names the relay writes and counts by, and the attributes the page instrumentations write.</summary>
public static class BrowserTelemetryNames
{
    public const string Route = "/telemetry/v1/traces";
    public const string RateLimitPolicy = "browser-telemetry";

    /// <summary>The page's meta tags the script reads: the proof of the page's trace, and the cookie that carries it.</summary>
    public const string ProofMeta = "traceparent-proof";
    public const string ContextCookieMeta = "otel-context-cookie";

    /// <summary>The relay names the pages' service; whatever a browser claims is dropped.</summary>
    public const string ServiceName = "browser";
    public const string ServiceNameAttribute = "service.name";

    public const string MeterName = "OrdersTracing.Web.BrowserTelemetry";
    public const string RefusedCounter = "browser_telemetry.requests.refused";
    public const string AcceptedSpansCounter = "browser_telemetry.spans.accepted";
    public const string ReasonTag = "reason";

    public static class Reasons
    {
        public const string TooLarge = "too_large";
        public const string RateLimited = "rate_limited";
        public const string Malformed = "malformed";
        public const string UnsupportedMediaType = "unsupported_media_type";
        public const string BackendUnavailable = "backend_unavailable";
    }

    /// <summary>
    /// What @opentelemetry/instrumentation-document-load, -user-interaction and -fetch write (both the old and the
    /// stable HTTP semantic conventions); anything else a browser sends is dropped.
    /// </summary>
    public static readonly IReadOnlySet<string> AllowedAttributes = new HashSet<string>(StringComparer.Ordinal)
    {
        "component", "event_type", "target_element", "target_xpath",
        "http.url", "http.method", "http.status_code", "http.status_text", "http.host", "http.scheme", "http.user_agent",
        "http.response_content_length", "http.response_content_length_uncompressed", "http.request_content_length",
        "url.full", "http.request.method", "http.response.status_code", "server.address", "server.port", "user_agent.original",
    };

    /// <summary>Attributes that hold a URL: their query values are redacted as the server's spans' are.</summary>
    public static readonly IReadOnlySet<string> UrlAttributes = new HashSet<string>(StringComparer.Ordinal) { TelemetryTags.HttpUrl, TelemetryTags.UrlFull };
}
