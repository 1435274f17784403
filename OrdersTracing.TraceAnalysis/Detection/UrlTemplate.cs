namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// A URL with its ids parameterised: <c>http://provider/payments/42?expand=1</c> becomes
/// <c>http://provider/payments/{id}</c>, so that one loop's calls compare equal whatever the id, as Sentry's
/// <c>parameterize_url</c> does for the N+1 API calls detector's fingerprint.
/// </summary>
/// <remarks>
/// A path segment is an id when it holds a digit (numbers, GUIDs, hex and prefixed ids such as <c>pi_3Mt...</c>); the
/// query string and fragment are dropped, as Sentry drops them (<c>without_query_params</c>).
/// </remarks>
public static class UrlTemplate
{
    public const string IdPlaceholder = "{id}";

    // The asset URLs Sentry's N+1 API calls and large payload detectors pass over, by extension.
    private static readonly string[] AssetExtensions = [".js", ".css", ".svg", ".png", ".mp3", ".jpg", ".jpeg"];

    public static string Of(string url)
    {
        var end = url.AsSpan().IndexOfAny('?', '#');
        var path = end < 0 ? url.AsSpan() : url.AsSpan(0, end);
        var pathStart = PathStart(path);

        if (!path[pathStart..].ContainsAnyInRange('0', '9'))
        {
            return end < 0 ? url : new string(path);
        }

        var builder = new System.Text.StringBuilder(path.Length);
        builder.Append(path[..pathStart]);
        foreach (var range in path[pathStart..].Split('/'))
        {
            var segment = path[pathStart..][range];
            if (range.Start.Value > 0)
            {
                builder.Append('/');
            }

            builder.Append(segment.ContainsAnyInRange('0', '9') ? IdPlaceholder : segment);
        }

        return builder.ToString();
    }

    /// <summary>Whether the template differs from the URL without its query: Sentry reports no N+1 of calls it could not parameterise.</summary>
    public static bool IsParameterised(string template) => template.Contains(IdPlaceholder, StringComparison.Ordinal);

    /// <summary>Whether the URL names a static asset (a script, a style sheet, an image, a sound).</summary>
    internal static bool IsAsset(string url)
    {
        foreach (var extension in AssetExtensions)
        {
            if (url.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Where the path starts: after <c>scheme://authority</c>, whose port holds digits that are no id.</summary>
    private static int PathStart(ReadOnlySpan<char> url)
    {
        var scheme = url.IndexOf("://");
        if (scheme < 0)
        {
            return 0;
        }

        var slash = url[(scheme + 3)..].IndexOf('/');
        return slash < 0 ? url.Length : scheme + 3 + slash;
    }
}
