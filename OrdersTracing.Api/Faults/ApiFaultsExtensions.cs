using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Orders;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

public static class ApiFaultsExtensions
{
    /// <summary>
    /// The Api's faults: its statements, saves and connections are intercepted in EF Core, its payment client gets a
    /// handler, and the stateful ones (an index, held connections) have mechanisms of their own. All are inert while off.
    /// </summary>
    public static IHostApplicationBuilder AddApiFaults(this IHostApplicationBuilder builder)
    {
        builder.AddFaults(FaultCatalogue.Services.Api)
            .Inject(FaultKind.CpuBound, FaultKind.NPlusOne, FaultKind.SlowQuery, FaultKind.DeepException, FaultKind.RowLock,
                FaultKind.DatabaseDown, FaultKind.ProviderUnreachable)
            .Inject<MissingIndexFault>(FaultKind.MissingIndex)
            .Inject<PoolExhaustionFault>(FaultKind.PoolExhausted);

        builder.Services.AddSingleton<StatementFaultInterceptor>();
        builder.Services.AddSingleton<RowLockInterceptor>();
        builder.Services.AddSingleton<DatabaseDownInterceptor>();
        builder.Services.AddTransient<ProviderUnreachableHandler>();
        builder.Services.ConfigureDbContext<OrdersDbContext>((services, options) => options.AddInterceptors(
            services.GetRequiredService<StatementFaultInterceptor>(),
            services.GetRequiredService<RowLockInterceptor>(),
            services.GetRequiredService<DatabaseDownInterceptor>()));
        return builder;
    }
}
