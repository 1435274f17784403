using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersTracing.AppHost.Payments;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class TenantIsolationTests(OrdersAppFixture fixture)
{
    [Fact]
    public async Task A_tenant_cannot_list_or_fetch_another_tenants_orders()
    {
        using var api = fixture.CreateApiClient();
        var (tenantA, tenantB) = (TestIds.Tenant(), TestIds.Tenant());
        var orderOfA = await ApiCalls.CreateOrderAsync(api, tenantA, TestIds.User());

        using var listOfB = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenantB, TestIds.User());
        using var fetchByB = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{orderOfA}", tenantB, TestIds.User());
        using var fetchByA = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{orderOfA}", tenantA, TestIds.User());
        using var listOfA = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenantA, TestIds.User());

        Assert.Equal(HttpStatusCode.OK, listOfB.StatusCode);
        Assert.Empty((await listOfB.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orders").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, fetchByB.StatusCode);
        Assert.Equal("application/problem+json", fetchByB.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, fetchByA.StatusCode);
        var listed = (await listOfA.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orders").EnumerateArray();
        Assert.Equal(orderOfA, Assert.Single(listed).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_tenants_listing_is_newest_first_and_paged()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        var created = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            created.Add(await ApiCalls.CreateOrderAsync(api, tenant, TestIds.User()));
        }

        using var first = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders?page=1&pageSize=2", tenant, TestIds.User());
        using var second = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders?page=2&pageSize=2", tenant, TestIds.User());

        var firstPage = await first.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var secondPage = await second.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.True(firstPage.GetProperty("hasMore").GetBoolean());
        Assert.False(secondPage.GetProperty("hasMore").GetBoolean());
        var listed = firstPage.GetProperty("orders").EnumerateArray().Concat(secondPage.GetProperty("orders").EnumerateArray())
            .Select(order => order.GetProperty("id").GetString()).ToList();
        Assert.Equal(Enumerable.Reverse(created), listed);
    }

    [Theory]
    [InlineData(20261126)]
    [InlineData(7)]
    public async Task Across_random_tenants_and_users_no_listing_or_lookup_ever_shows_another_tenants_order(int seed)
    {
        using var api = fixture.CreateApiClient();
        var random = new Random(seed);
        var tenants = Enumerable.Range(0, random.Next(4, 8)).Select(_ => TestIds.Tenant()).ToList();
        var placements = tenants.SelectMany(tenant => Enumerable.Range(0, random.Next(1, 4)).Select(_ => (tenant, user: $"u{random.Next(3)}"))).ToList();
        var orders = await Task.WhenAll(placements.Select(async placement =>
            (placement.tenant, id: await ApiCalls.CreateOrderAsync(api, placement.tenant, placement.user))));
        var failures = new List<string>();

        foreach (var tenant in tenants)
        {
            var user = $"u{random.Next(5)}";
            var own = orders.Where(order => order.tenant == tenant).Select(order => order.id).Order().ToList();
            foreach (var path in new[] { "/api/orders?pageSize=100", "/api/orders/with-items?pageSize=100" })
            {
                using var listing = await ApiCalls.SendAsync(api, HttpMethod.Get, path, tenant, user);
                var listed = (await listing.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken))
                    .GetProperty("orders").EnumerateArray().Select(order => order.GetProperty("id").GetString()!).Order().ToList();
                if (!listed.SequenceEqual(own))
                {
                    failures.Add($"{tenant} listed {string.Join(",", listed)} at {path}, owns {string.Join(",", own)}");
                }
            }

            foreach (var (owner, id) in orders)
            {
                using var lookup = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{id}", tenant, user);
                var expected = owner == tenant ? HttpStatusCode.OK : HttpStatusCode.NotFound;
                if (lookup.StatusCode != expected)
                {
                    failures.Add($"{tenant} looking up {owner}'s order {id} got {(int)lookup.StatusCode}, expected {(int)expected}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"seed {seed}:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task A_signed_webhook_that_names_another_tenant_does_not_touch_the_order()
    {
        using var api = fixture.CreateApiClient();
        var (owner, other) = (TestIds.Tenant(), TestIds.Tenant());
        var orderId = await ApiCalls.PlaceDeclinedOrderAsync(api, owner);

        using var misdirected = await SendSucceededWebhookAsync(api, orderId, other);
        var afterMisdirected = await ApiCalls.PaymentStatusAsync(api, owner, orderId);
        using var addressed = await SendSucceededWebhookAsync(api, orderId, owner);
        var afterAddressed = await ApiCalls.PaymentStatusAsync(api, owner, orderId);

        Assert.Equal(HttpStatusCode.OK, misdirected.StatusCode);
        Assert.Equal("payment_failed", afterMisdirected);
        Assert.Equal(HttpStatusCode.OK, addressed.StatusCode);
        Assert.Equal("paid", afterAddressed);
    }

    private async Task<HttpResponseMessage> SendSucceededWebhookAsync(HttpClient api, string orderId, string tenant)
    {
        var secret = await fixture.EnvironmentVariableAsync("api", $"{PaymentProviderResourceExtensions.ConfigurationSection}__WebhookSecret", TestContext.Current.CancellationToken);
        using var request = ApiCalls.SucceededWebhook(orderId, tenant, $"pi_{Guid.NewGuid():N}", secret);
        return await api.SendAsync(request, TestContext.Current.CancellationToken);
    }
}
