using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Payments;
using OrdersTracing.Api.Payments.Outbox;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Tests.Api.Support;

/// <summary>
/// The Api's order and payment services as <c>Program.cs</c> registers them, on a real database, without starting the
/// application: the payment provider is <see cref="FakePaymentProvider"/>, reached without the resilience pipeline so
/// that one charge is one request.
/// </summary>
public sealed class ApiServices : IAsyncDisposable
{
    /// <summary>How long the client waits for a provider that does not answer.</summary>
    public static readonly TimeSpan ProviderTimeout = TimeSpan.FromMilliseconds(500);

    private readonly ServiceProvider services;

    private ApiServices(ServiceProvider services, string connectionString) => (this.services, ConnectionString) = (services, connectionString);

    public IServiceProvider Services => services;

    /// <summary>The test's database, for a second set of services on it: a second Api process.</summary>
    public string ConnectionString { get; }

    /// <param name="cacheConnectionString">The order cache's Redis; unreachable unless given, so every read is the database's.</param>
    public static ApiServices Create(
        string connectionString, FakePaymentProvider provider, TimeProvider? clock = null, string cacheConnectionString = LocalRedis.Unreachable)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"ConnectionStrings:{OrdersDbContext.ConnectionName}"] = connectionString,
            [$"ConnectionStrings:{OrderCacheExtensions.ConnectionName}"] = cacheConnectionString,
        });
        builder.AddOrders();
        builder.AddScenarios();
        builder.Services.AddLogging();
        builder.Services.AddSingleton(clock ?? TimeProvider.System);
        builder.Services.AddHttpClient<IPaymentProvider, PaymentProviderClient>(http =>
            {
                http.BaseAddress = new Uri("http://payment-provider.test/");
                http.Timeout = ProviderTimeout;
            })
            .ConfigurePrimaryHttpMessageHandler(() => provider)
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);

        return new ApiServices(builder.Services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), connectionString);
    }

    public PaymentOutboxWorker Worker(PaymentOutboxOptions settings) =>
        ActivatorUtilities.CreateInstance<PaymentOutboxWorker>(services, Options.Create(settings));

    /// <summary>Migrates the database as the Api does at start-up.</summary>
    public Task MigrateAsync() => services.MigrateOrdersDatabaseAsync(CancellationToken.None);

    /// <summary>Places an order through the Api's own service, as <c>POST /api/orders</c> does.</summary>
    public async Task<PlacedOrder> PlaceOrderAsync(PaymentProcessing processing, string tenantId = "tenant-a", string paymentMethod = "pm_card_visa")
    {
        await using var scope = services.CreateAsyncScope();
        var request = new CreateOrderRequest([new CreateOrderItem("coffee-beans", 2, 9.50m)], paymentMethod);
        return await scope.ServiceProvider.GetRequiredService<OrderPlacement>()
            .PlaceAsync(new CallerIdentity(tenantId, "user-a"), request, processing, CancellationToken.None);
    }

    /// <summary>Runs <paramref name="use"/> on a scope of its own, as each request, round or webhook gets.</summary>
    public async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> use)
    {
        await using var scope = services.CreateAsyncScope();
        return await use(scope.ServiceProvider);
    }

    public Task<Order> ReadOrderAsync(Guid orderId) => InScopeAsync(scope =>
        scope.GetRequiredService<OrdersDbContext>().Orders.AsNoTracking().SingleAsync(order => order.Id == orderId));

    public Task<PaymentRequest> ReadOutboxRowAsync(Guid orderId) => InScopeAsync(scope =>
        scope.GetRequiredService<OrdersDbContext>().PaymentRequests.AsNoTracking().SingleAsync(row => row.OrderId == orderId));

    /// <summary>Postgres's row version: it changes with every write of the row, and only then.</summary>
    public Task<long> ReadOrderRowVersionAsync(Guid orderId) => InScopeAsync(scope =>
        scope.GetRequiredService<OrdersDbContext>().Database
            .SqlQuery<long>($"SELECT xmin::text::bigint AS \"Value\" FROM orders WHERE id = {orderId}")
            .SingleAsync());

    public ValueTask DisposeAsync() => services.DisposeAsync();
}
