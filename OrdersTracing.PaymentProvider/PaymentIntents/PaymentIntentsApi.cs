using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// A Stripe-like <c>POST /payment_intents</c>. Stripe's test payment methods behave as in Stripe's test mode
/// (<c>pm_card_chargeDeclined</c> is declined), and an <c>Idempotency-Key</c> replays the first answer.
/// </summary>
public static class PaymentIntentsApi
{
    private const string DeclinedPaymentMethod = "pm_card_chargeDeclined";
    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string BaggageHeader = "baggage";

    public static IEndpointRouteBuilder MapPaymentIntentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/payment_intents", CreatePaymentIntentAsync);
        return app;
    }

    private static async Task<Results<Ok<PaymentIntent>, JsonHttpResult<StripeErrorBody>>> CreatePaymentIntentAsync(
        PaymentIntentRequest request,
        HttpRequest httpRequest,
        IOptionsMonitor<PaymentStandInOptions> options,
        FaultSwitch faults,
        ChargeLedger ledger,
        IdempotencyStore idempotency,
        WebhookSender webhooks,
        CancellationToken cancellationToken)
    {
        // What an outside provider would learn from our headers; tests check that our baggage never gets here.
        Activity.Current?.SetTag(PaymentProviderTelemetry.ReceivedBaggageTag, httpRequest.Headers.ContainsKey(BaggageHeader));
        await Task.Delay(options.CurrentValue.Latency, cancellationToken);

        if (request.Amount <= 0 || string.IsNullOrWhiteSpace(request.Currency))
        {
            return StripeError(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_invalid", "Amount must be positive and currency set.");
        }

        // A key seen before replays the first answer, before anything else can fail: a retry never charges twice.
        var key = httpRequest.Headers[IdempotencyKeyHeader].ToString();
        var attempt = string.IsNullOrEmpty(key) ? 1 : ledger.Requested(key);
        if (faults.Strikes(FaultKind.SlowProvider, out var slow, attempt))
        {
            await Task.Delay(slow.Duration, cancellationToken);
        }

        if (!string.IsNullOrEmpty(key) && idempotency.TryGet(key, out var replayed))
        {
            Activity.Current?.SetTag(TelemetryTags.PaymentId, replayed.Id);
            return TypedResults.Ok(replayed);
        }

        if (faults.Strikes(FaultKind.ProviderErrors, out _, attempt))
        {
            Activity.Current?.SetStatus(ActivityStatusCode.Error, "Simulated provider failure");
            return StripeError(StatusCodes.Status500InternalServerError, "api_error", "simulated_failure", "The payment provider had an internal error.");
        }

        if (request.PaymentMethod == DeclinedPaymentMethod)
        {
            return StripeError(StatusCodes.Status402PaymentRequired, "card_error", "card_declined", "Your card was declined.");
        }

        var intent = NewIntent(request);
        if (!string.IsNullOrEmpty(key) && !idempotency.TryRemember(key, intent, out var winner))
        {
            // A concurrent request with the same key won: answer what it charged.
            Activity.Current?.SetTag(TelemetryTags.PaymentId, winner.Id);
            return TypedResults.Ok(winner);
        }

        Activity.Current?.SetTag(TelemetryTags.PaymentId, intent.Id);
        if (!string.IsNullOrEmpty(key))
        {
            ledger.Charged(key);
        }

        // After the answer, as Stripe does; once per payment intent.
        httpRequest.HttpContext.Response.OnCompleted(() =>
        {
            _ = webhooks.SendSucceededAsync(intent, request.Metadata);
            return Task.CompletedTask;
        });

        if (faults.Strikes(FaultKind.ProviderTimeout, out var timeout, attempt))
        {
            // Charged, but the answer comes too late for the caller, which retries with the same key.
            await Task.Delay(timeout.Duration, cancellationToken);
        }

        return TypedResults.Ok(intent);
    }

    private static PaymentIntent NewIntent(PaymentIntentRequest request) =>
        new($"pi_{Guid.NewGuid():N}", "payment_intent", request.Amount, request.Currency!, "succeeded");

    private static JsonHttpResult<StripeErrorBody> StripeError(int status, string type, string code, string message) =>
        TypedResults.Json(new StripeErrorBody(new StripeError(type, code, message)), statusCode: status);
}

public sealed record PaymentIntentRequest(
    long Amount,
    string? Currency,
    [property: JsonPropertyName("payment_method")] string? PaymentMethod,
    IReadOnlyDictionary<string, string>? Metadata);

public sealed record PaymentIntent(string Id, string Object, long Amount, string Currency, string Status);

public sealed record StripeErrorBody(StripeError Error);

public sealed record StripeError(string Type, string Code, string Message);
