using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// Development-only: what the stand-in charged per idempotency key, which a real provider does not say. Tests break
/// the provider with the shared fault switches (<c>/test/faults</c>) and check the damage here.
/// </summary>
public static class TestApi
{
    public static IEndpointRouteBuilder MapTestApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/test/charges/{key}", (string key, ChargeLedger ledger) => TypedResults.Ok(ledger.Get(key)));
        return app;
    }
}
