using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Tests.Api.Support;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.ServiceDefaults.Faults;
using StackExchange.Redis;

namespace OrdersTracing.Tests.Api;

/// <summary>The order cache on a real Redis: cache-aside on reading one order, dropped when a payment is recorded.</summary>
[Collection(LocalPostgresCollection.Name)]
public sealed class OrderCacheTests(LocalPostgres postgres, LocalRedis redis) : IClassFixture<LocalRedis>, IAsyncLifetime
{
    private readonly FakePaymentProvider provider = new();
    private ApiServices api = null!;

    public async ValueTask InitializeAsync() =>
        api = ApiServices.Create(await postgres.CreateDatabaseAsync(), provider, cacheConnectionString: redis.ConnectionString);

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task A_settled_order_read_twice_is_read_from_the_database_once()
    {
        var placed = await api.PlaceOrderAsync(PaymentProcessing.Synchronous);
        using var recorder = new ActivityRecorder();

        var first = await GetAsync(api, placed.Order.Id);
        var queriesOfFirst = recorder.Queries.Count;
        recorder.Clear();
        var second = await GetAsync(api, placed.Order.Id);

        Assert.Equal(PaymentStatus.Paid, second?.PaymentStatus);
        Assert.Equivalent(first, second, strict: true);
        Assert.Equal(1, queriesOfFirst);
        Assert.Empty(recorder.Queries);
        Assert.Equal(OrdersTelemetry.CacheResults.Hit, Assert.Single(recorder.Spans, IsGetOrder).GetTagItem(OrdersTelemetry.Tags.CacheResult));
    }

    [Fact]
    public async Task A_pending_order_is_read_from_the_database_every_time()
    {
        var placed = await api.PlaceOrderAsync(PaymentProcessing.Background);
        using var recorder = new ActivityRecorder();

        await GetAsync(api, placed.Order.Id);
        var pending = await GetAsync(api, placed.Order.Id);

        Assert.Equal(PaymentStatus.Pending, pending?.PaymentStatus);
        Assert.Equal(2, recorder.Queries.Count);
    }

    [Fact]
    public async Task A_payment_recorded_after_a_read_is_what_the_next_read_sees()
    {
        provider.Answer = _ => ProviderAnswer.Decline;
        var placed = await api.PlaceOrderAsync(PaymentProcessing.Synchronous);
        var failed = await GetAsync(api, placed.Order.Id);

        await api.InScopeAsync(scope => scope.GetRequiredService<OrderPayments>()
            .RecordChargedAsync(placed.Order.Id, placed.Order.TenantId, "pi_late", CancellationToken.None));
        var paid = await GetAsync(api, placed.Order.Id);

        Assert.Equal(PaymentStatus.PaymentFailed, failed?.PaymentStatus);
        Assert.Equal((PaymentStatus.Paid, "pi_late"), (paid?.PaymentStatus, paid?.PaymentId));
    }

    [Fact]
    public async Task One_tenants_cached_order_is_not_found_by_another_tenant()
    {
        var placed = await api.PlaceOrderAsync(PaymentProcessing.Synchronous, tenantId: "tenant-a");
        await GetAsync(api, placed.Order.Id, "tenant-a");

        var other = await GetAsync(api, placed.Order.Id, "tenant-b");

        Assert.Null(other);
    }

    [Fact]
    public async Task Reads_go_on_from_the_database_once_the_cache_server_stops()
    {
        var own = await LocalRedis.StartAsync();
        await using var services = ApiServices.Create(await postgres.CreateDatabaseAsync(), provider, cacheConnectionString: own.ConnectionString);
        var placed = await services.PlaceOrderAsync(PaymentProcessing.Synchronous);
        await GetAsync(services, placed.Order.Id);
        await own.DisposeAsync();
        using var recorder = new ActivityRecorder();

        var started = TimeProvider.System.GetTimestamp();
        var order = await GetAsync(services, placed.Order.Id);
        var elapsed = TimeProvider.System.GetElapsedTime(started);

        Assert.Equal(PaymentStatus.Paid, order?.PaymentStatus);
        Assert.Single(recorder.Queries);
        var get = Assert.Single(recorder.Spans, IsGetOrder);
        Assert.Equal(OrdersTelemetry.CacheResults.Unavailable, get.GetTagItem(OrdersTelemetry.Tags.CacheResult));
        Assert.Contains(get.Events, e => e.Name == OrdersTelemetry.Events.CacheUnavailable);
        Assert.True(elapsed < TimeSpan.FromSeconds(2), $"the read took {elapsed.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task A_cache_that_was_never_reachable_costs_no_request()
    {
        await using var services = ApiServices.Create(await postgres.CreateDatabaseAsync(), provider, cacheConnectionString: LocalRedis.Unreachable);
        var placed = await services.PlaceOrderAsync(PaymentProcessing.Synchronous);

        var order = await GetAsync(services, placed.Order.Id);

        Assert.Equal(PaymentStatus.Paid, order?.PaymentStatus);
    }

    [Fact]
    public async Task With_the_cache_unavailable_fault_on_reads_come_from_the_database_and_each_failed_command_is_a_span_in_error()
    {
        var placed = await api.PlaceOrderAsync(PaymentProcessing.Synchronous);
        var faults = api.Services.GetRequiredService<FaultControl>();
        await faults.SwitchOnAsync(new FaultSpec(FaultKind.CacheUnavailable, FaultCatalogue.Services.Api), CancellationToken.None);
        using var recorder = new ActivityRecorder();

        var order = await GetAsync(api, placed.Order.Id);
        var duringOutage = recorder.Spans;
        await faults.SwitchOffAsync(FaultKind.CacheUnavailable, CancellationToken.None);
        recorder.Clear();
        await GetAsync(api, placed.Order.Id);
        var afterwards = recorder.Spans;

        Assert.Equal(PaymentStatus.Paid, order?.PaymentStatus);
        Assert.Single(duringOutage, span => span.Source.Name == ActivityRecorder.NpgsqlSource && span.GetTagItem("db.query.text") is not null);
        Assert.Equal(OrdersTelemetry.CacheResults.Unavailable, Assert.Single(duringOutage, IsGetOrder).GetTagItem(OrdersTelemetry.Tags.CacheResult));
        var failed = duringOutage.Where(span => Equals(span.GetTagItem("db.system.name"), "redis")).OrderBy(span => span.StartTimeUtc).ToList();
        Assert.Equal([OrdersTelemetry.Spans.CacheGet, OrdersTelemetry.Spans.CacheSet], failed.Select(span => span.OperationName));
        Assert.All(failed, span => Assert.Equal((ActivityKind.Client, ActivityStatusCode.Error), (span.Kind, span.Status)));
        Assert.All(failed, span => Assert.Contains(span.Events, e => e.Name == "exception" && Equals(e.Tags.FirstOrDefault(tag => tag.Key == "exception.type").Value, typeof(RedisConnectionException).FullName)));
        Assert.Equal(OrdersTelemetry.CacheResults.Miss, Assert.Single(afterwards, IsGetOrder).GetTagItem(OrdersTelemetry.Tags.CacheResult));
        Assert.DoesNotContain(afterwards, span => span.Status == ActivityStatusCode.Error);
    }

    private static bool IsGetOrder(Activity span) => span.OperationName == OrdersTelemetry.Spans.GetOrder;

    private static Task<OrderResponse?> GetAsync(ApiServices services, Guid orderId, string tenantId = "tenant-a") =>
        services.InScopeAsync(scope => scope.GetRequiredService<OrderQueries>()
            .GetAsync(new CallerIdentity(tenantId, "user-a"), orderId, CancellationToken.None));
}
