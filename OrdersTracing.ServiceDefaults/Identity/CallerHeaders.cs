using System.Text.RegularExpressions;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>
/// How Web tells the Api who is calling: the signed-in user's tenant and id travel as headers on internal calls,
/// never in a request body a user could edit.
/// </summary>
public static partial class CallerHeaders
{
    public const string TenantId = "X-Tenant-Id";
    public const string UserId = "X-User-Id";

    /// <summary>Tenant and user ids are short lowercase slugs: safe in a header, a log line and a span attribute.</summary>
    public static bool IsValidId(string? value) => value is not null && IdPattern().IsMatch(value);

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex IdPattern();
}
