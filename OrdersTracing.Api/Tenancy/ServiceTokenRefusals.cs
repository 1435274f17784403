using Microsoft.IdentityModel.Tokens;

namespace OrdersTracing.Api.Tenancy;

/// <summary>
/// Why the Api refused a call's service token, as the server span records it: an operator sees which rule refused
/// a call, never the token itself.
/// </summary>
public static class ServiceTokenRefusals
{
    public const string Tag = "service_token.refusal";

    public const string Missing = "missing";
    public const string Expired = "expired";
    public const string BadSignature = "bad_signature";
    public const string WrongAudience = "wrong_audience";
    public const string WrongIssuer = "wrong_issuer";
    public const string Malformed = "malformed";
    public const string NoCaller = "no_caller";
    public const string Invalid = "invalid";

    /// <summary>The refusal an authentication failure stands for; <c>null</c> is a call that carried no token.</summary>
    public static string Of(Exception? failure) => failure switch
    {
        null => Missing,
        SecurityTokenExpiredException => Expired,
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => BadSignature,
        SecurityTokenInvalidAudienceException => WrongAudience,
        SecurityTokenInvalidIssuerException => WrongIssuer,
        SecurityTokenMalformedException => Malformed,
        NoCallerException => NoCaller,
        _ => Invalid,
    };

    /// <summary>A validly signed token whose claims are not a tenant and a user id.</summary>
    internal sealed class NoCallerException() : SecurityTokenValidationException("The token names no valid tenant and user id.");
}
