using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// What the detector scenarios need before their problem and fix can run: a tenant with paid orders, and for the slow
/// query a tenant large enough that reading all of its orders is slow.
/// </summary>
public static class DetectorScenarios
{
    public const int Orders = 6;

    private const string OrderPlaceholder = "{order}";

    /// <summary>A new tenant with <see cref="Orders"/> orders paid in the request, and the first order's id.</summary>
    public static async Task<(string Tenant, string Order)> TenantAsync(HttpClient api, FindingKind kind)
    {
        var tenant = TestIds.Tenant();
        var orders = new List<string>();
        for (var i = 0; i < Orders; i++)
        {
            orders.Add(await ApiCalls.CreateOrderAsync(api, tenant, TestIds.User()));
        }

        if (kind == FindingKind.SlowDbQuery)
        {
            using var seeded = await api.PostAsync(
                $"/api/admin/tenants/{tenant}/orders?count={OrdersAppFixture.SlowQueryTenantOrders}", content: null, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, seeded.StatusCode);
            var result = await seeded.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"seeded {OrdersAppFixture.SlowQueryTenantOrders} orders in {result.GetProperty("elapsedMilliseconds").GetDouble():F0} ms");
        }

        return (tenant, orders[0]);
    }

    /// <summary>A scenario's path with its order filled in.</summary>
    public static string Path(string path, string order) => path.Replace(OrderPlaceholder, order, StringComparison.Ordinal);

    /// <summary>The Api's queries and outgoing calls in a trace, counted and summed, for the figures the documentation quotes.</summary>
    public static string Describe(TraceSpan root, IReadOnlyList<TraceSpan> spans)
    {
        var queries = spans.Where(span => span.Service == "api" && span.Scope == "Npgsql" && span["db.query.text"] is not null).ToList();
        var calls = spans.Where(span => span.Service == "api" && span.Kind == TraceSpanKind.Client && span["url.full"] is not null).ToList();
        return string.Create(CultureInfo.InvariantCulture,
            $"root {root.Duration.TotalMilliseconds:F1} ms, {queries.Count} queries {Sum(queries):F1} ms (longest {Longest(queries):F1} ms), "
            + $"{calls.Count} calls {Sum(calls):F1} ms, body {root[SpanAttributes.HttpResponseBodySize]} B");
    }

    private static double Sum(IReadOnlyList<TraceSpan> spans) => spans.Sum(span => span.Duration.TotalMilliseconds);

    private static double Longest(IReadOnlyList<TraceSpan> spans) => spans.Count == 0 ? 0 : spans.Max(span => span.Duration.TotalMilliseconds);
}
