using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

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
}
