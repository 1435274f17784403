using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace OrdersTracing.ServiceDefaults.Webhooks;

/// <summary>
/// Stripe's webhook signature scheme (<c>Stripe-Signature: t=&lt;unix time&gt;,v1=&lt;HMAC-SHA256 of "t.body"&gt;</c>): the
/// payment provider signs, the Api verifies, so nobody else can mark an order paid.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "Stripe-Signature";

    /// <summary>How old a signed event may be: a replayed old event is refused.</summary>
    internal static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static string Sign(string body, string secret, DateTimeOffset now)
    {
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"t={timestamp},v1={Compute(timestamp, body, secret)}";
    }

    public static bool IsValid(string? header, string body, string secret, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header))
        {
            return false;
        }

        var parts = header.Split(',', StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToLookup(pair => pair[0], pair => pair[1]);
        var timestamp = parts["t"].FirstOrDefault();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(timestamp, body, secret));
        return parts["v1"].Any(signature => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(signature), expected));
    }

    private static string Compute(string timestamp, string body, string secret) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}
