using System.Net.Http.Headers;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>
/// Puts a freshly signed token on each call made on behalf of a caller (<see cref="ActAs"/>), so that the client
/// code says whom it calls for and never handles a token; a retry gets a token of its own.
/// </summary>
public sealed class ServiceTokenHandler(ServiceTokenIssuer issuer) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<(string TenantId, string UserId)> Caller = new("OrdersTracing.Caller");

    /// <summary>Makes <paramref name="request"/> a call on behalf of this tenant and user.</summary>
    public static void ActAs(HttpRequestMessage request, string tenantId, string userId) => request.Options.Set(Caller, (tenantId, userId));

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Caller, out var caller))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", issuer.Issue(caller.TenantId, caller.UserId));
        }

        return base.SendAsync(request, cancellationToken);
    }
}
