using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Orders;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

public static class ApiFaultsExtensions
{
    /// <summary>
    /// The Api's database faults: its statements, saves and connections are intercepted in EF Core, and the stateful
    /// ones (an index, held connections) have mechanisms of their own; and CPU spun in a request. All are inert while
    /// off. The N+1 regression and the unreachable provider are registered by the orders and the payment client.
    /// </summary>
    public static IHostApplicationBuilder AddApiFaults(this IHostApplicationBuilder builder)
    {
        builder.AddFaults(FaultCatalogue.Services.Api)
            .Inject(FaultKind.CpuBound, FaultKind.SlowQuery, FaultKind.DeepException, FaultKind.RowLock, FaultKind.DatabaseDown)
            .Inject<MissingIndexFault>(FaultKind.MissingIndex)
            .Inject<PoolExhaustionFault>(FaultKind.PoolExhausted);

        builder.Services.AddSingleton<StatementFaultInterceptor>();
        builder.Services.AddSingleton<RowLockInterceptor>();
        builder.Services.AddSingleton<DatabaseDownInterceptor>();
        builder.Services.ConfigureDbContext<OrdersDbContext>((services, options) => options.AddInterceptors(
            services.GetRequiredService<StatementFaultInterceptor>(),
            services.GetRequiredService<RowLockInterceptor>(),
            services.GetRequiredService<DatabaseDownInterceptor>()));
        return builder;
    }
}
