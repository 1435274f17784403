using System.Text.RegularExpressions;

namespace OrdersTracing.ServiceDefaults.Telemetry.Redaction;

/// <summary>
/// The one rule for what a trace may not hold, for the services' own spans (<see cref="UrlRedactionProcessor"/>) and
/// for the spans Web relays from browsers alike: URL query values become <c>Redacted</c> with their names kept, as the
/// OpenTelemetry .NET instrumentations write them; user info and fragments are dropped; and a value that looks like a
/// card number, an e-mail address, a bearer token or an API key is replaced whole.
/// </summary>
public static partial class TelemetryRedaction
{
    public const string Redacted = "Redacted";

    /// <summary>A URL whose query values are redacted, and its user info and fragment dropped; not an http(s) URL: <see cref="Redacted"/>.</summary>
    public static string RedactUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            // Nothing of it can be told apart from a secret.
            return Redacted;
        }

        return $"{url.Scheme}://{url.Authority}{url.AbsolutePath}{RedactQuery(url.Query)}";
    }

    /// <summary><c>?api_key=k&amp;page=2</c> becomes <c>?api_key=Redacted&amp;page=Redacted</c>; an empty query stays empty.</summary>
    public static string RedactQuery(string query)
    {
        var pairs = query.StartsWith('?') ? query[1..] : query;
        return pairs.Length == 0
            ? ""
            : "?" + string.Join('&', pairs.Split('&').Select(pair => pair.Split('=', 2)[0] + "=" + Redacted));
    }

    /// <summary>A value redacted by this rule: a URL's query values; anything that looks secret, whole.</summary>
    public static string Redact(string value, bool isUrl)
    {
        var redacted = isUrl ? RedactUrl(value) : value;
        // A redacted query still names its parameters (api_key=Redacted); only what is left of a URL is judged.
        return LooksSecret(isUrl ? redacted.Split('?', 2)[0] : redacted) ? Redacted : redacted;
    }

    public static bool LooksSecret(string value) =>
        CardNumber().IsMatch(value) || Email().IsMatch(value) || BearerToken().IsMatch(value) || KeyLike().IsMatch(value);

    [GeneratedRegex(@"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"[^\s@/?&=]+@[^\s@/?&=]+\.[a-zA-Z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?i)\bbearer\s+\S+")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(?i)\b(?:sk|pk|rk)_(?:live|test)_\w+|\b(?:api[_-]?key|secret|password|token)\s*[=:]")]
    private static partial Regex KeyLike();
}
