using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Identity;
using OrdersTracing.Tests.Api.Support;
using OrdersTracing.Tests.Telemetry;

namespace OrdersTracing.Tests.Api;

/// <summary>
/// The Api's authentication as <c>Program.cs</c> wires it, in front of an order endpoint that counts what it would
/// write: each bad token is a 401 ProblemDetails that reaches no handler, and the span says why without the token.
/// </summary>
public sealed class ServiceAuthenticationTests : IAsyncDisposable
{
    private const string Path = "/api/orders";
    private static readonly string CurrentKey = NewKey();
    private static readonly string PreviousKey = NewKey();

    private readonly TelemetryTestHost host;
    private int writes;

    public ServiceAuthenticationTests()
    {
        host = TelemetryTestHost.CreateWeb(
            app =>
            {
                app.UseAuthentication();
                app.UseAuthorization();
                app.MapGroup(Path).RequireAuthorization().MapPost("", (CallerIdentity caller) =>
                {
                    Interlocked.Increment(ref writes);
                    return TypedResults.Ok(caller);
                });
            },
            builder => builder.AddServiceAuthentication(),
            ($"{ServiceTokenOptions.SectionName}:{nameof(ServiceTokenOptions.SigningKey)}", CurrentKey),
            ($"{ServiceTokenOptions.SectionName}:{nameof(ServiceTokenOptions.PreviousSigningKey)}", PreviousKey));
    }

    public static TheoryData<string, string> RefusedCalls => new()
    {
        { "no token", ServiceTokenRefusals.Missing },
        { "the old identity headers alone", ServiceTokenRefusals.Missing },
        { "an expired token", ServiceTokenRefusals.Expired },
        { "a token whose tenant was changed after signing", ServiceTokenRefusals.BadSignature },
        { "a token signed with another key", ServiceTokenRefusals.BadSignature },
        { "an unsigned token", ServiceTokenRefusals.BadSignature },
        { "a token for another audience", ServiceTokenRefusals.WrongAudience },
        { "a token from another issuer", ServiceTokenRefusals.WrongIssuer },
        { "a token whose tenant is not a tenant id", ServiceTokenRefusals.NoCaller },
        { "a bearer value that is no token", ServiceTokenRefusals.Malformed },
    };

    [Theory]
    [MemberData(nameof(RefusedCalls))]
    public async Task A_call_without_a_valid_token_gets_a_401_problem_writes_nothing_and_its_span_names_the_refusal(string call, string refusal)
    {
        await host.StartAsync();
        using var request = RefusedRequest(call);
        var token = request.Headers.Authorization?.Parameter;

        using var response = await SendAsync(request);
        var span = await host.WaitForServerSpanAsync(Path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, writes);
        Assert.Equal(refusal, span.GetTagItem(ServiceTokenRefusals.Tag));
        if (token is not null)
        {
            Assert.DoesNotContain(span.TagObjects, tag => tag.Value?.ToString()?.Contains(token, StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task A_token_signed_with_the_current_key_names_the_caller()
    {
        await host.StartAsync();
        using var request = TokenRequest(Issuer(CurrentKey).Issue("acme", "ada"));

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new CallerIdentity("acme", "ada"), await response.Content.ReadFromJsonAsync<CallerIdentity>(TestContext.Current.CancellationToken));
        Assert.Equal(1, writes);
    }

    [Fact]
    public async Task During_a_rotation_a_token_signed_with_the_previous_key_is_still_accepted()
    {
        await host.StartAsync();
        using var request = TokenRequest(Issuer(PreviousKey).Issue("acme", "ada"));

        using var response = await SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Identity_headers_beside_a_token_change_nothing_the_tenant_comes_from_the_token()
    {
        await host.StartAsync();
        using var request = TokenRequest(Issuer(CurrentKey).Issue("acme", "ada"));
        request.Headers.Add("X-Tenant-Id", "globex");
        request.Headers.Add("X-User-Id", "mallory");

        using var response = await SendAsync(request);

        Assert.Equal(new CallerIdentity("acme", "ada"), await response.Content.ReadFromJsonAsync<CallerIdentity>(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task An_api_without_a_signing_key_does_not_start()
    {
        await using var keyless = TelemetryTestHost.CreateWeb(_ => { }, builder => builder.AddServiceAuthentication());

        var error = await Assert.ThrowsAsync<OptionsValidationException>(keyless.StartAsync);

        Assert.Contains(nameof(ServiceTokenOptions.SigningKey), error.Message);
    }

    public ValueTask DisposeAsync() => host.DisposeAsync();

    private static HttpRequestMessage RefusedRequest(string call)
    {
        var valid = Issuer(CurrentKey).Issue("acme", "ada");
        return call switch
        {
            "no token" => new HttpRequestMessage(HttpMethod.Post, Path),
            "the old identity headers alone" => WithHeaders(new HttpRequestMessage(HttpMethod.Post, Path)),
            "an expired token" => TokenRequest(Issuer(CurrentKey, clock: new ManualTimeProvider(DateTimeOffset.UtcNow.AddMinutes(-10))).Issue("acme", "ada")),
            "a token whose tenant was changed after signing" => TokenRequest(WithPayload(valid, payload => payload.Replace("\"acme\"", "\"globex\"", StringComparison.Ordinal))),
            "a token signed with another key" => TokenRequest(Issuer(NewKey()).Issue("acme", "ada")),
            "an unsigned token" => TokenRequest(Unsigned(valid)),
            "a token for another audience" => TokenRequest(Issuer(CurrentKey, audience: "orders-reporting").Issue("acme", "ada")),
            "a token from another issuer" => TokenRequest(Issuer(CurrentKey, issuer: "someone-else").Issue("acme", "ada")),
            "a token whose tenant is not a tenant id" => TokenRequest(Issuer(CurrentKey).Issue("x' OR '1'='1", "ada")),
            "a bearer value that is no token" => TokenRequest("sk_live_not-a-jwt"),
            _ => throw new ArgumentOutOfRangeException(nameof(call), call, null),
        };

        static HttpRequestMessage WithHeaders(HttpRequestMessage request)
        {
            request.Headers.Add("X-Tenant-Id", "acme");
            request.Headers.Add("X-User-Id", "ada");
            return request;
        }
    }

    private static HttpRequestMessage TokenRequest(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return request;
    }

    private static ServiceTokenIssuer Issuer(string key, string audience = "orders-api", string issuer = "orders-web", TimeProvider? clock = null) =>
        new(Options.Create(new ServiceTokenOptions { SigningKey = key, Audience = audience, Issuer = issuer }), clock ?? TimeProvider.System);

    private static string WithPayload(string token, Func<string, string> change)
    {
        var parts = token.Split('.');
        parts[1] = Base64UrlEncoder.Encode(change(Base64UrlEncoder.Decode(parts[1])));
        return string.Join('.', parts);
    }

    /// <summary>The same claims under <c>alg: none</c> and without a signature, as an attacker who has no key would send them.</summary>
    private static string Unsigned(string token) =>
        $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{token.Split('.')[1]}.";

    private static string NewKey() => Convert.ToHexString(Guid.NewGuid().ToByteArray()) + Convert.ToHexString(Guid.NewGuid().ToByteArray());

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        using var http = new HttpClient { BaseAddress = host.BaseAddress };
        return await http.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
