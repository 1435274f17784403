using System.Diagnostics;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OrdersTracing.ServiceDefaults.Identity;

namespace OrdersTracing.Api.Tenancy;

public static class ServiceAuthenticationExtensions
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Only a caller holding a token Web signed reaches an order: the tenant and user come from its claims, and a
    /// missing, expired, tampered, wrongly signed or misaddressed token is a 401 ProblemDetails before any handler runs.
    /// </summary>
    public static IHostApplicationBuilder AddServiceAuthentication(this IHostApplicationBuilder builder)
    {
        builder.Services.AddServiceTokenOptions();
        // The refusal is written through the ProblemDetails service (idempotent beside AddApiProblemDetails).
        builder.Services.AddProblemDetails();
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<ServiceTokenOptions>>((bearer, tokens) =>
            {
                // Claims keep their JWT names (sub, tenant_id) instead of being renamed to WS-Federation URIs.
                bearer.MapInboundClaims = false;
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = tokens.Value.Issuer,
                    ValidAudience = tokens.Value.Audience,
                    IssuerSigningKeys = tokens.Value.ValidationKeys(),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    // Web and the Api share a clock within seconds; the default five minutes would double a token's lifetime.
                    ClockSkew = ClockSkew,
                };
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = context =>
                    {
                        if (CallerIdentity.FromClaims(context.Principal!) is null)
                        {
                            context.Fail(new ServiceTokenRefusals.NoCallerException());
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = WriteRefusalAsync,
                };
            });
        builder.Services.AddAuthorization();
        return builder;
    }

    private static async Task WriteRefusalAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        var refusal = ServiceTokenRefusals.Of(context.AuthenticateFailure);
        Activity.Current?.SetTag(ServiceTokenRefusals.Tag, refusal);

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = JwtBearerDefaults.AuthenticationScheme;
        var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context.HttpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "The call carries no valid service token.",
                Detail = $"Order endpoints need a bearer token signed by Web for a tenant and a user; this call's was refused: {refusal}.",
            },
        });
    }
}
