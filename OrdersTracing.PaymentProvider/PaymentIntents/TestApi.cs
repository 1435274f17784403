using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// Development-only controls of the stand-in: switch its faults while it runs, and read what it charged per
/// idempotency key. A real provider has neither; tests and demos use them to break the provider and check the damage.
/// </summary>
public static class TestApi
{
    public static IEndpointRouteBuilder MapTestApi(this IEndpointRouteBuilder app)
    {
        var test = app.MapGroup("/test");
        test.MapGet("/faults", (ProviderFaultSwitch faults) => TypedResults.Ok(faults.Current));
        test.MapPut("/faults", SetFaults);
        test.MapGet("/charges/{key}", (string key, ChargeLedger ledger) => TypedResults.Ok(ledger.Get(key)));
        return app;
    }

    private static Results<Ok<ProviderFaults>, ProblemHttpResult> SetFaults(ProviderFaults faults, ProviderFaultSwitch current)
    {
        if (!faults.IsValid)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The faults are not valid.",
                detail: "FailureRate runs from 0 to 1, FailFirstAttempts and SlowFirstAttempts from 0 to 100, SlowAnswer up to 1 minute.");
        }

        current.Set(faults);
        return TypedResults.Ok(faults);
    }
}
