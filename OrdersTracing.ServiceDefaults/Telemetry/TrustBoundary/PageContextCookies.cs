using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>
/// Keeps a page's story in one trace across a redirect: a browser follows a redirect without any script, so the edge
/// itself hands the redirected request its server span's context, with its proof, in a cookie for that path only. A
/// request that used a page context deletes it, so the cookie never outlives the one request it was meant for.
/// </summary>
internal static class PageContextCookies
{
    /// <summary>A redirect is followed at once; a cookie still unused after this is stale.</summary>
    private static readonly TimeSpan RedirectLifetime = TimeSpan.FromSeconds(30);

    public static void WriteOnResponse(HttpContext context, PageTraceContext pages) => context.Response.OnStarting(() =>
    {
        var response = context.Response;
        if (context.Features.Get<SpentPageContext>() is not null)
        {
            response.Cookies.Delete(PageTraceContext.CookieName, new CookieOptions { Path = context.Request.Path.Value });
        }

        if (response.StatusCode is >= 300 and < 400 && LocalPath(response.Headers.Location) is { } path
            && pages.CookieValue(context.Features.Get<IHttpActivityFeature>()?.Activity) is { } value)
        {
            response.Cookies.Append(PageTraceContext.CookieName, value, new CookieOptions
            {
                Path = path,
                MaxAge = RedirectLifetime,
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
            });
        }

        return Task.CompletedTask;
    });

    /// <summary>The path of a redirect to this site (<c>/orders/1?x</c>), never of one to another (<c>//evil</c>, <c>https://…</c>).</summary>
    private static string? LocalPath(string? location) =>
        location is ['/', not '/' and not '\\', ..] || location == "/" ? location.Split('?', '#')[0] : null;
}
