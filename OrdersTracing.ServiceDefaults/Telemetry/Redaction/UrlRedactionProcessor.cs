using System.Buffers;
using System.Diagnostics;
using OpenTelemetry;

namespace OrdersTracing.ServiceDefaults.Telemetry.Redaction;

/// <summary>
/// Applies <see cref="TelemetryRedaction"/> to the URL attributes of every span a service ends, so the services' spans
/// and the browser's (which Web's relay redacts by the same rule) hold the same: the instrumentations already redact
/// query values (<see cref="UrlQueryRedaction"/>), but a span written by hand or by another library may not.
/// </summary>
internal sealed class UrlRedactionProcessor : BaseProcessor<Activity>
{
    /// <summary>What makes a URL worth rewriting: a query, user info or a fragment.</summary>
    private static readonly SearchValues<char> RedactableParts = SearchValues.Create("?@#");

    public override void OnEnd(Activity activity)
    {
        Redact(activity, TelemetryTags.UrlFull, isQuery: false);
        Redact(activity, TelemetryTags.HttpUrl, isQuery: false);
        Redact(activity, TelemetryTags.UrlQuery, isQuery: true);
    }

    private static void Redact(Activity activity, string key, bool isQuery)
    {
        // Most spans have no URL with a query, user info or fragment: nothing is allocated for them (a char[] of the
        // three marks would be, on every call; the search values are made once).
        if (activity.GetTagItem(key) is not string value || (isQuery ? value.Length == 0 : !value.AsSpan().ContainsAny(RedactableParts)))
        {
            return;
        }

        var redacted = isQuery ? TelemetryRedaction.RedactQuery(value) : TelemetryRedaction.RedactUrl(value);
        if (!string.Equals(redacted, value, StringComparison.Ordinal))
        {
            activity.SetTag(key, redacted);
        }
    }
}
