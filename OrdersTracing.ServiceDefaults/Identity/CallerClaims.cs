using System.Text.RegularExpressions;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>
/// How Web tells the Api who is calling: the signed-in user's tenant and id travel as claims of a token Web signs
/// (<see cref="ServiceTokenIssuer"/>), never as headers or a request body a caller could write.
/// </summary>
public static partial class CallerClaims
{
    public const string TenantId = "tenant_id";

    /// <summary>The registered JWT claim for whom the token is about.</summary>
    public const string UserId = "sub";

    /// <summary>Tenant and user ids are short lowercase slugs: safe in a claim, a log line and a span attribute.</summary>
    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();
}
