using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

public static class PaymentFaultsExtensions
{
    /// <summary>The provider's faults, struck in <see cref="PaymentIntentsApi"/> per attempt of each idempotency key.</summary>
    public static IHostApplicationBuilder AddPaymentFaults(this IHostApplicationBuilder builder)
    {
        builder.AddFaults(FaultCatalogue.Services.Payments)
            .Inject(FaultKind.SlowProvider, FaultKind.ProviderErrors, FaultKind.ProviderTimeout);
        return builder;
    }

    /// <summary><c>PaymentProvider:FailureRate</c> is the provider's errors from the start, as if switched on at once.</summary>
    public static async Task SwitchOnConfiguredFaultsAsync(this WebApplication app)
    {
        var failureRate = app.Services.GetRequiredService<IOptions<PaymentStandInOptions>>().Value.FailureRate;
        if (failureRate > 0)
        {
            await app.Services.GetRequiredService<FaultControl>().SwitchOnAsync(
                new FaultSpec(FaultKind.ProviderErrors, FaultCatalogue.Services.Payments, Probability: failureRate), CancellationToken.None);
        }
    }
}
