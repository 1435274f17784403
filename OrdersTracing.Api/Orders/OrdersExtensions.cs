using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Orders;

public static class OrdersExtensions
{
    /// <summary>The orders database and the services that place, read and settle orders on it.</summary>
    public static IHostApplicationBuilder AddOrders(this IHostApplicationBuilder builder)
    {
        builder.AddOrdersDatabase();
        builder.Services.AddScoped<OrderPayments>();
        builder.Services.AddScoped<OrderPlacement>();
        builder.Services.AddScoped<OrderQueries>();
        // The listing's naive variant, switched on at run time as a regression would ship it.
        builder.AddFaults(FaultCatalogue.Services.Api).Inject(FaultKind.NPlusOne);
        return builder;
    }
}
