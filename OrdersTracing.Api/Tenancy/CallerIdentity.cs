using System.Security.Claims;
using OrdersTracing.ServiceDefaults.Identity;

namespace OrdersTracing.Api.Tenancy;

/// <summary>
/// The tenant and user on whose behalf Web calls, taken only from the claims of the service token it signed
/// (<see cref="ServiceAuthenticationExtensions"/>); every query is filtered by <see cref="TenantId"/>.
/// </summary>
public sealed record CallerIdentity(string TenantId, string UserId)
{
    /// <summary>The caller a validated token names, or null when its claims are not a tenant and a user id.</summary>
    public static CallerIdentity? FromClaims(ClaimsPrincipal principal)
    {
        var tenantId = principal.FindFirstValue(CallerClaims.TenantId);
        var userId = principal.FindFirstValue(CallerClaims.UserId);
        return CallerClaims.IsValidId(tenantId) && CallerClaims.IsValidId(userId) ? new CallerIdentity(tenantId!, userId!) : null;
    }

    public static ValueTask<CallerIdentity> BindAsync(HttpContext context) =>
        ValueTask.FromResult(FromClaims(context.User)
            // Authentication has refused such a token already: an endpoint that gets here unauthenticated is miswired.
            ?? throw new InvalidOperationException("CallerIdentity is bound only on endpoints that require a service token (RequireAuthorization)."));
}
