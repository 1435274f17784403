using System.ComponentModel.DataAnnotations;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace OrdersTracing.ServiceDefaults.Identity;

/// <summary>
/// The tokens Web signs for the Api: who issues them, for whom, for how long, and the keys, which the AppHost hands
/// both services as secret parameters so that neither holds a key in its own configuration.
/// </summary>
public sealed class ServiceTokenOptions
{
    public const string SectionName = "ServiceTokens";

    /// <summary>HMAC-SHA256 needs a key of at least 256 bits; a shorter secret is refused at start-up, not at the first call.</summary>
    public const int MinimumKeyLength = 32;

    [Required]
    public string Issuer { get; set; } = "orders-web";

    [Required]
    public string Audience { get; set; } = "orders-api";

    /// <summary>Minutes, not hours: a token that leaks from a log or a proxy is worthless soon after.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The key Web signs with and the Api accepts.</summary>
    [Required]
    [MinLength(MinimumKeyLength)]
    public string SigningKey { get; set; } = "";

    /// <summary>
    /// During a rotation, the key Web signed with until now: the Api accepts it as well until every token signed
    /// with it has expired, so replacing <see cref="SigningKey"/> refuses no call in flight.
    /// </summary>
    [MinLength(MinimumKeyLength)]
    public string? PreviousSigningKey { get; set; }

    internal static SymmetricSecurityKey KeyOf(string secret) => new(Encoding.UTF8.GetBytes(secret));

    /// <summary>The keys a token may be signed with: the current one, and the previous one during a rotation.</summary>
    public IEnumerable<SecurityKey> ValidationKeys() =>
        PreviousSigningKey is { Length: > 0 } previous ? [KeyOf(SigningKey), KeyOf(previous)] : [KeyOf(SigningKey)];
}
