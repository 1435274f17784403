using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Orders;

public static class OrdersExtensions
{
    /// <summary>The orders database, its cache, and the services that place, read and settle orders on it.</summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddOrdersDatabase();
        builder.AddOrderCache();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddScoped<OrderQueries>();
        builder.Services.AddScoped<TenantSummaries>();
        builder.Services.AddScoped<OrderPaymentStatuses>();
        builder.Services.AddScoped<OrderExports>();
        builder.Services.AddScoped<OrderForms>();
        builder.Services.AddScoped<OrderReports>();
        builder.Services.AddScoped<OrderPaymentDetails>();
        builder.Services.AddScoped<OrderPaymentAttempts>();
        // The listing's naive variant, switched on at run time as a regression would ship it.
        builder.AddFaults(FaultCatalogue.Services.Api).Inject(FaultKind.NPlusOne);
        return builder;
    }
}
