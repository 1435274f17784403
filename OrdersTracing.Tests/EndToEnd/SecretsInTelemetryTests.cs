using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Aspire.Hosting.Testing;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Plants a card number, an e-mail address, a bearer token and an API key in requests to Web and the Api, then scans
/// every span and every log record the dashboard holds, attributes, events, links and bodies alike, for any of them.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SecretsInTelemetryTests(OrdersAppFixture fixture)
{
    private const string CardNumber = "4242424242424242";

    [Fact]
    public async Task No_card_number_email_bearer_token_or_api_key_sent_in_requests_appears_in_any_span_or_log()
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        var (email, token, apiKey) = ($"ada.{unique}@example.com", $"sk_live_{unique}", $"key_{unique}");
        var apiTraceId = TestIds.NewTraceId();

        await PlantInWebAsync(email, token, apiKey);
        var serviceTokens = await PlantInApiAsync(email, token, apiKey, apiTraceId);
        var planted = new[] { CardNumber, email, Uri.EscapeDataString(email), token, apiKey }.Concat(serviceTokens).ToList();
        var spans = await fixture.Telemetry.WaitForRawAsync("spans", json => json.Contains(apiTraceId, StringComparison.Ordinal) && json.Contains("orders.create", StringComparison.Ordinal));
        // Entity Framework logs each command it runs inside the planted Api request: its log batch has arrived too.
        var logs = await fixture.Telemetry.WaitForRawAsync("logs", json => json.Contains(apiTraceId, StringComparison.Ordinal));

        var hits = planted
            .SelectMany(value => new[] { ("span", spans), ("log", logs) }.Select(signal => (value, signal.Item1, signal.Item2)))
            .Where(scan => scan.Item3.Contains(scan.value, StringComparison.OrdinalIgnoreCase))
            .Select(scan => $"{scan.Item2} holds '{scan.value}': ...{Around(scan.Item3, scan.value)}...")
            .ToList();
        Assert.True(hits.Count == 0, string.Join("\n", hits));
    }

    private async Task PlantInWebAsync(string email, string token, string apiKey)
    {
        using var web = fixture.CreateWebSession();
        var bearer = ("Authorization", $"Bearer {token}");

        await web.GetAsync($"/?api_key={apiKey}&email={Uri.EscapeDataString(email)}", bearer);
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());
        var page = await web.PlaceOrderAsync($"pm_card_{CardNumber}", (CardNumber, 1, 4.00m));
        await web.GetAsync($"/orders?api_key={apiKey}&card={CardNumber}", bearer);

        Assert.True(page.Status is HttpStatusCode.OK or HttpStatusCode.PaymentRequired, $"placing the order: {(int)page.Status}");
    }

    /// <returns>The service tokens the requests carried (whole, and their signatures), which must not appear either.</returns>
    private async Task<IReadOnlyList<string>> PlantInApiAsync(string email, string token, string apiKey, string traceId)
    {
        using var api = fixture.CreateRawApiClient();
        var tenant = TestIds.Tenant();
        var bodies = new[]
        {
            $$"""{"items": [{"sku": "{{CardNumber}}", "quantity": 1, "unitPrice": 4.00}]}""",
            $$"""{"items": [{"sku": "{{email}}", "quantity": 1, "unitPrice": 4.00}], "paymentMethod": "{{email}}"}""",
            $$"""{"items": [{"sku": "tea", "quantity": "{{CardNumber}}", "unitPrice": 4.00}]}""",
        };

        var serviceTokens = new List<string>();
        // Each request carries a service token signed as Web signs it, but the last, whose bearer token is made up.
        var requests = bodies.Select(body => (body, fixture.ServiceTokens.Issue(tenant, TestIds.User())))
            .Append(("{}", fixture.ServiceTokens.Issue(tenant, email)))
            .Append(("{}", token));
        foreach (var (body, bearer) in requests)
        {
            using var request = ApiCalls.Request(HttpMethod.Post, $"/api/orders?api_key={apiKey}&email={Uri.EscapeDataString(email)}", tenant: null, user: null,
                new StringContent(body, Encoding.UTF8, "application/json"), traceId);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (bearer != token)
            {
                serviceTokens.AddRange([bearer, bearer.Split('.')[2]]);
            }

            using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True((int)response.StatusCode < 500, $"{body}: {(int)response.StatusCode}");
        }

        return serviceTokens;
    }

    private static string Around(string json, string value)
    {
        var at = json.IndexOf(value, StringComparison.OrdinalIgnoreCase);
        return json.Substring(Math.Max(0, at - 200), Math.Min(json.Length - Math.Max(0, at - 200), value.Length + 400));
    }
}
