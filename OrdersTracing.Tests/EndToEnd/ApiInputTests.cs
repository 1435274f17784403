using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class ApiInputTests(OrdersAppFixture fixture)
{
    public static TheoryData<string, string, string> BadOrders => new()
    {
        { "malformed JSON", "{\"items\": [", "" },
        { "a wrong type", "{\"items\": [{\"sku\": \"tea\", \"quantity\": \"many\", \"unitPrice\": 1}]}", "$.items[0].quantity" },
        { "no items", "{\"items\": []}", "items" },
        { "a negative quantity", "{\"items\": [{\"sku\": \"tea\", \"quantity\": -1, \"unitPrice\": 1}]}", "items[0].quantity" },
        { "a zero price", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": 0}]}", "items[0].unitPrice" },
        { "a SQL-looking SKU", "{\"items\": [{\"sku\": \"x'; DROP TABLE orders; --\", \"quantity\": 1, \"unitPrice\": 1}]}", "items[0].sku" },
    };

    [Theory]
    [MemberData(nameof(BadOrders))]
    public async Task A_bad_order_gets_a_400_problem_that_names_the_fault_and_writes_nothing(string fault, string body, string named)
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Post, "/api/orders", tenant, TestIds.User(),
            new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        using var listing = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, TestIds.User());

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{fault}: {(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, problem);
        Assert.Empty((await listing.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task A_request_without_a_tenant_gets_a_400_problem_naming_the_missing_header()
    {
        using var api = fixture.CreateApiClient();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant: null, TestIds.User());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Tenant-Id", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/api/orders/01935a4e-0000-7000-8000-000000000000")]
    [InlineData("/api/orders/not-an-id")]
    public async Task An_unknown_order_gets_a_404_problem(string path)
    {
        using var api = fixture.CreateApiClient();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, path, TestIds.Tenant(), TestIds.User());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("?page=0")]
    [InlineData("?pageSize=1000")]
    [InlineData("?page=abc")]
    [InlineData("?page=2147483647")]
    public async Task An_impossible_page_gets_a_400_problem(string query)
    {
        using var api = fixture.CreateApiClient();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders{query}", TestIds.Tenant(), TestIds.User());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
