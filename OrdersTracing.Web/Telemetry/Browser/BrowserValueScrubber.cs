using System.Text.RegularExpressions;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// Keeps secrets a page could put into a span out of the trace. URL query values become <c>Redacted</c>, the rule the
/// OpenTelemetry .NET instrumentations apply to the server's spans (ServiceDefaults keeps it on in every environment);
/// anything else that looks like a card number, an e-mail address, a bearer token or an API key is replaced whole.
/// </summary>
public static partial class BrowserValueScrubber
{
    public const string Redacted = "Redacted";

    public static string Scrub(string value, bool isUrl, int maxLength)
    {
        var scrubbed = isUrl ? RedactUrl(value) : value;
        // A redacted query still names its parameters (api_key=Redacted); only what is left of a URL is judged.
        if (LooksSecret(isUrl ? scrubbed.Split('?', 2)[0] : scrubbed))
        {
            return Redacted;
        }

        return scrubbed.Length > maxLength ? scrubbed[..maxLength] : scrubbed;
    }

    public static bool LooksSecret(string value) =>
        CardNumber().IsMatch(value) || Email().IsMatch(value) || BearerToken().IsMatch(value) || KeyLike().IsMatch(value);

    /// <summary>Drops the user info and the fragment, and redacts every query value, keeping the names.</summary>
    public static string RedactUrl(string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            // Not a URL a page fetches: nothing of it can be told apart from a secret.
            return Redacted;
        }

        var query = url.Query.Length <= 1
            ? ""
            : "?" + string.Join('&', url.Query[1..].Split('&').Select(pair => pair.Split('=', 2)[0] + "=" + Redacted));
        return $"{url.Scheme}://{url.Authority}{url.AbsolutePath}{query}";
    }

    [GeneratedRegex(@"(?<![\w-])(?:\d[ -]?){12,18}\d(?![\w-])")]
    private static partial Regex CardNumber();

    [GeneratedRegex(@"[^\s@/?&=]+@[^\s@/?&=]+\.[a-zA-Z]{2,}")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?i)\bbearer\s+\S+")]
    private static partial Regex BearerToken();

    [GeneratedRegex(@"(?i)\b(?:sk|pk|rk)_(?:live|test)_\w+|\b(?:api[_-]?key|secret|password|token)\s*[=:]")]
    private static partial Regex KeyLike();
}
