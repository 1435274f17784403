using Microsoft.Extensions.Options;
using OrdersTracing.Api.Faults;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Payments.Outbox;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Payments;

public static class PaymentProviderExtensions
{
    public static IHostApplicationBuilder AddPaymentProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<PaymentProviderOptions>()
            .BindConfiguration(PaymentProviderOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The payment call gets its own resilience settings instead of the defaults every client gets; replacing a
        // client's handlers is marked experimental (EXTEXP0001) in Microsoft.Extensions.Http.Resilience.
#pragma warning disable EXTEXP0001
        // Named after the client, as it was before orders came to charge through IPaymentProvider: the name is in the
        // HttpClient's log categories and its resilience pipeline's telemetry.
        var payments = builder.Services.AddHttpClient<IPaymentProvider, PaymentProviderClient>(nameof(PaymentProviderClient), (services, http) =>
                http.BaseAddress = services.GetRequiredService<IOptions<PaymentProviderOptions>>().Value.BaseUrl)
            .WithoutBaggage()
            .RemoveAllResilienceHandlers();
        payments.AddStandardResilienceHandler(PaymentProviderClient.ConfigureResilience);
        // Inside the resilience handler, so that each retry meets the fault on its own.
        builder.AddFaults(FaultCatalogue.Services.Api).Inject(FaultKind.ProviderUnreachable);
        builder.Services.AddTransient<ProviderUnreachableHandler>();
        payments.AddHttpMessageHandler<ProviderUnreachableHandler>();
#pragma warning restore EXTEXP0001

        builder.Services.AddOptions<PaymentOutboxOptions>()
            .BindConfiguration(PaymentOutboxOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<PaymentOutboxWorker>();

        return builder;
    }
}
