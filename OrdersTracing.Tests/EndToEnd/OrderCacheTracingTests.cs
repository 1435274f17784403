using System.Net;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The order cache as a trace shows it: Redis's own spans beside Postgres's, and which one answered.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class OrderCacheTracingTests(OrdersAppFixture fixture)
{
    [Fact]
    public async Task A_paid_order_read_twice_comes_from_postgres_then_from_redis()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, user) = (TestIds.Tenant(), TestIds.User());
        var orderId = await ApiCalls.CreateOrderAsync(api, tenant, user);
        var (firstTrace, secondTrace) = (TestIds.NewTraceId(), TestIds.NewTraceId());

        using var first = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{orderId}", tenant, user, traceId: firstTrace);
        using var second = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{orderId}", tenant, user, traceId: secondTrace);
        var miss = await fixture.Telemetry.WaitForTraceAsync(firstTrace, spans => spans.Count(IsRedis) >= 2 && spans.Any(IsSql));
        var hit = await fixture.Telemetry.WaitForTraceAsync(secondTrace, spans => spans.Any(IsRedis) && spans.Any(span => span.Name == "orders.get"));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode));
        Assert.Equal("miss", Assert.Single(miss, span => span.Name == "orders.get")["orders.cache.result"]);
        Assert.Equal(["GET", "SETEX"], miss.Where(IsRedis).OrderBy(span => span.Start).Select(span => span["db.operation.name"] ?? span.Name));
        Assert.Single(miss, IsSql);
        Assert.Equal("hit", Assert.Single(hit, span => span.Name == "orders.get")["orders.cache.result"]);
        var get = Assert.Single(hit, IsRedis);
        Assert.Equal(TraceSpanKind.Client, get.Kind);
        Assert.DoesNotContain(hit, IsSql);
    }

    private static bool IsRedis(TraceSpan span) => span["db.system.name"] == "redis";

    private static bool IsSql(TraceSpan span) => span.Scope == "Npgsql" && span["db.query.text"] is not null;
}
