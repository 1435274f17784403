using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>
/// Signs the short-lived token that tells the Api on whose behalf Web calls; one per call, so no token outlives the
/// request it was made for by more than its lifetime.
/// </summary>
public sealed class ServiceTokenIssuer(IOptions<ServiceTokenOptions> options, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public string Issue(string tenantId, string userId)
    {
        var settings = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + settings.Lifetime,
            Subject = new ClaimsIdentity([new Claim(CallerClaims.TenantId, tenantId), new Claim(CallerClaims.UserId, userId)]),
            SigningCredentials = new SigningCredentials(ServiceTokenOptions.KeyOf(settings.SigningKey), SecurityAlgorithms.HmacSha256),
        });
    }
}
