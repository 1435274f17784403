using OrdersTracing.ServiceDefaults.Identity;

namespace OrdersTracing.Api.Tenancy;

/// <summary>
/// The tenant and user on whose behalf Web calls, read from <see cref="CallerHeaders"/>; every query is
/// filtered by <see cref="TenantId"/>.
/// </summary>
public sealed record CallerIdentity(string TenantId, string UserId)
{
    public static ValueTask<CallerIdentity> BindAsync(HttpContext context)
    {
        var tenantId = context.Request.Headers[CallerHeaders.TenantId].ToString();
        var userId = context.Request.Headers[CallerHeaders.UserId].ToString();

        if (!CallerHeaders.IsValidId(tenantId))
        {
            throw new BadHttpRequestException(
                $"The {CallerHeaders.TenantId} header is missing or not a tenant id (lowercase letters, digits and '-').");
        }

        if (!CallerHeaders.IsValidId(userId))
        {
            throw new BadHttpRequestException(
                $"The {CallerHeaders.UserId} header is missing or not a user id (lowercase letters, digits and '-').");
        }

        return ValueTask.FromResult(new CallerIdentity(tenantId, userId));
    }
}
