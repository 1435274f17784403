using System.Net;
using System.Net.Http.Headers;
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
        { "a SQL-looking payment method", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": 1}], \"paymentMethod\": \"pm_x' OR '1'='1\"}", "paymentMethod" },
        { "a quantity past int", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 2147483648, \"unitPrice\": 1}]}", "$.items[0].quantity" },
        { "an absurd quantity", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1000000, \"unitPrice\": 1}]}", "items[0].quantity" },
        { "a price past decimal", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": 1e40}]}", "$.items[0].unitPrice" },
        { "a fraction of a cent", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": 0.001}]}", "items[0].unitPrice" },
        { "a negative price", "{\"items\": [{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": -5}]}", "items[0].unitPrice" },
        { "items that are not a list", "{\"items\": {\"sku\": \"tea\"}}", "$.items" },
        { "a null item", "{\"items\": [null]}", "items[0]" },
        { "51 items", "{\"items\": [" + string.Join(",", Enumerable.Repeat("{\"sku\": \"tea\", \"quantity\": 1, \"unitPrice\": 1}", 51)) + "]}", "items" },
        { "a unicode SKU", "{\"items\": [{\"sku\": \"caf\u00e9\u2615\", \"quantity\": 1, \"unitPrice\": 1}]}", "items[0].sku" },
        { "nesting past the reader's depth", "{\"extra\": " + new string('[', 100) + new string(']', 100) + ", \"items\": []}", "depth" },
        { "an empty body", "", "" },
        { "a JSON array", "[]", "" },
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

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_past_the_limit_gets_a_413_problem_and_writes_nothing(bool chunked)
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        // A little past the Api's 64 KB limit, written at once: the body is on its way before the Api has read far enough to
        // refuse it, so the Api's close after its answer does not cut off a client still writing (a reset, not an answer).
        var items = Enumerable.Repeat(new { sku = "tea", quantity = 1, unitPrice = 1m, note = new string('x', 1024) }, 72);
        HttpContent body = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { items }));
        body.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var request = ApiCalls.Request(HttpMethod.Post, "/api/orders", tenant, TestIds.User(), body);
        // As an uploading client should: with a declared length the 413 comes before the body is sent at all; a chunked
        // body, of no declared length, is refused once the Api has read past the limit.
        request.Headers.ExpectContinue = true;
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode} {problem}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await ApiCalls.CountOrdersAsync(api, tenant));
    }

    [Fact]
    public async Task Headers_past_the_limit_get_a_431_from_kestrel_before_the_api_runs()
    {
        using var api = fixture.CreateApiClient();
        using var request = ApiCalls.Request(HttpMethod.Get, "/api/orders", TestIds.Tenant(), TestIds.User());
        request.Headers.Add("X-Padding", new string('x', 40 * 1024));

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);

        // Kestrel rejects the request while parsing it: no endpoint, no ProblemDetails, an empty body.
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_gets_a_415_problem()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Post, "/api/orders", tenant, TestIds.User(),
            new StringContent("sku=tea&quantity=1", Encoding.UTF8, "application/x-www-form-urlencoded"));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await ApiCalls.CountOrdersAsync(api, tenant));
    }

    [Theory]
    [InlineData("x' OR '1'='1")]
    [InlineData("t1; DROP TABLE orders")]
    [InlineData("T-UPPER")]
    [InlineData("-leading-dash")]
    public async Task A_token_whose_tenant_is_not_a_tenant_id_gets_a_401_problem(string tenant)
    {
        using var api = fixture.CreateApiClient();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, TestIds.User());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_request_without_a_token_gets_a_401_problem_saying_a_service_token_is_needed()
    {
        using var api = fixture.CreateApiClient();

        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant: null, TestIds.User());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("service token", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
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
