using System.Security.Claims;
using OrdersTracing.ServiceDefaults.Identity;

namespace OrdersTracing.Web.Identity;

/// <summary>
/// The demo sign-in: a person picks or types a tenant and a user name, kept in an authentication cookie. A real
/// deployment puts an identity provider here; everything after the cookie stays the same.
/// </summary>
public static class DemoIdentity
{
    private const string TenantClaim = "tenant";

    public static readonly IReadOnlyList<string> Tenants = ["acme", "globex", "initech"];

    public static ClaimsPrincipal CreatePrincipal(string tenantId, string userId, string authenticationType) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, userId), new Claim(TenantClaim, tenantId)],
            authenticationType));

    public static (string TenantId, string UserId) GetCaller(this ClaimsPrincipal user)
    {
        var tenantId = user.FindFirstValue(TenantClaim);
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier);

        if (!CallerClaims.IsValidId(tenantId) || !CallerClaims.IsValidId(userId))
        {
            throw new InvalidOperationException("The signed-in user has no valid tenant or user id.");
        }

        return (tenantId!, userId!);
    }
}
