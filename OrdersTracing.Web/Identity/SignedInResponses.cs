using Microsoft.Net.Http.Headers;

namespace OrdersTracing.Web.Identity;

public static class SignedInResponses
{
    /// <summary>
    /// Pages rendered for a signed-in person are never kept by the browser, so after signing out, Back or a reopened
    /// tab asks the server again and gets the sign-in page instead of the person's orders.
    /// </summary>
    public static IApplicationBuilder UseNoStoreForSignedInUsers(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.User.Identity?.IsAuthenticated == true)
            {
                context.Response.Headers[HeaderNames.CacheControl] = "no-store";
            }

            return next(context);
        });
}
