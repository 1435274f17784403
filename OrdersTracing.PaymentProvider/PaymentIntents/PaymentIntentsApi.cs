using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// A Stripe-like <c>POST /payment_intents</c>, <c>GET /payment_intents/{id}</c>, a list of given ids, and the lists of
/// an intent's charges and refunds (<c>GET /charges?payment_intent=</c>, <c>GET /refunds?payment_intent=</c>). Stripe's test
/// payment methods behave as in Stripe's test mode (<c>pm_card_chargeDeclined</c> is declined), and an
/// <c>Idempotency-Key</c> replays the first answer. Every call takes the configured latency, reads included.
/// </summary>
public static class PaymentIntentsApi
{
    /// <summary>Stripe's largest page of a list.</summary>
    public const int MaxListed = 100;

    private const string DeclinedPaymentMethod = "pm_card_chargeDeclined";
    private const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string BaggageHeader = "baggage";

    public static IEndpointRouteBuilder MapPaymentIntentsApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/payment_intents", CreatePaymentIntentAsync);
        app.MapGet("/payment_intents/{id}", RetrievePaymentIntentAsync);
        app.MapGet("/payment_intents", ListPaymentIntentsAsync);
        app.MapGet("/charges", ListChargesAsync);
        app.MapGet("/refunds", ListRefundsAsync);
        return app;
    }

    private static async Task<Results<Ok<PaymentIntent>, JsonHttpResult<StripeErrorBody>>> RetrievePaymentIntentAsync(
        string id, IOptionsMonitor<PaymentStandInOptions> options, PaymentIntentStore intents, CancellationToken cancellationToken)
    {
        await Task.Delay(options.CurrentValue.Latency, cancellationToken);

        return intents.TryGet(id, out var intent)
            ? TypedResults.Ok(intent)
            : StripeError(StatusCodes.Status404NotFound, "invalid_request_error", "resource_missing", $"No such payment_intent: '{id}'");
    }

    /// <summary>
    /// The intents among <paramref name="ids"/> (<c>?ids=pi_1&amp;ids=pi_2</c>) in one call, as Stripe's list object;
    /// an id the provider does not know is left out, as a search leaves out what it does not find.
    /// </summary>
    private static async Task<Results<Ok<PaymentIntentList>, JsonHttpResult<StripeErrorBody>>> ListPaymentIntentsAsync(
        string[]? ids, IOptionsMonitor<PaymentStandInOptions> options, PaymentIntentStore intents, CancellationToken cancellationToken)
    {
        await Task.Delay(options.CurrentValue.Latency, cancellationToken);

        if (ids is null || ids.Length is 0 or > MaxListed)
        {
            return StripeError(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_invalid",
                $"ids must name 1 to {MaxListed} payment intents.");
        }

        var found = ids.Distinct(StringComparer.Ordinal).Select(id => intents.TryGet(id, out var intent) ? intent : null).OfType<PaymentIntent>();
        return TypedResults.Ok(new PaymentIntentList("list", [.. found], HasMore: false, Url: "/payment_intents"));
    }

    /// <summary>A succeeded intent's one charge (Stripe's <c>latest_charge</c>), as Stripe's list object.</summary>
    private static async Task<Results<Ok<PaymentRecordList>, JsonHttpResult<StripeErrorBody>>> ListChargesAsync(
        [FromQuery(Name = "payment_intent")] string? paymentIntent,
        IOptionsMonitor<PaymentStandInOptions> options,
        PaymentIntentStore intents,
        CancellationToken cancellationToken)
    {
        await Task.Delay(options.CurrentValue.Latency, cancellationToken);

        if (string.IsNullOrEmpty(paymentIntent))
        {
            return MissingPaymentIntent();
        }

        PaymentRecord[] charges = intents.TryGet(paymentIntent, out var intent) && intent.Status == "succeeded"
            ? [new PaymentRecord($"ch_{intent.Id["pi_".Length..]}", "charge", intent.Amount, intent.Currency, "succeeded", intent.Id)]
            : [];
        return TypedResults.Ok(new PaymentRecordList("list", charges, HasMore: false, Url: "/charges"));
    }

    /// <summary>An intent's refunds: the stand-in refunds nothing, so the list is empty, after the same round trip.</summary>
    private static async Task<Results<Ok<PaymentRecordList>, JsonHttpResult<StripeErrorBody>>> ListRefundsAsync(
        [FromQuery(Name = "payment_intent")] string? paymentIntent,
        IOptionsMonitor<PaymentStandInOptions> options,
        CancellationToken cancellationToken)
    {
        await Task.Delay(options.CurrentValue.Latency, cancellationToken);

        return string.IsNullOrEmpty(paymentIntent)
            ? MissingPaymentIntent()
            : TypedResults.Ok(new PaymentRecordList("list", [], HasMore: false, Url: "/refunds"));
    }

    private static JsonHttpResult<StripeErrorBody> MissingPaymentIntent() =>
        StripeError(StatusCodes.Status400BadRequest, "invalid_request_error", "parameter_missing", "payment_intent must name a payment intent.");

    private static async Task<Results<Ok<PaymentIntent>, JsonHttpResult<StripeErrorBody>>> CreatePaymentIntentAsync(
        PaymentIntentRequest request,
        HttpRequest httpRequest,
        IOptionsMonitor<PaymentStandInOptions> options,
        FaultSwitch faults,
        ChargeLedger ledger,
        IdempotencyStore idempotency,
        PaymentIntentStore intents,
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
            await FaultDelay.WaitAsync(slow.Duration, cancellationToken);
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
        intents.Add(intent);
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
            await FaultDelay.WaitAsync(timeout.Duration, cancellationToken);
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

public sealed record PaymentIntentList(
    string Object,
    IReadOnlyList<PaymentIntent> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    string Url);

/// <summary>A charge or a refund: what Stripe's two objects share.</summary>
public sealed record PaymentRecord(
    string Id,
    string Object,
    long Amount,
    string Currency,
    string Status,
    [property: JsonPropertyName("payment_intent")] string PaymentIntent);

public sealed record PaymentRecordList(
    string Object,
    IReadOnlyList<PaymentRecord> Data,
    [property: JsonPropertyName("has_more")] bool HasMore,
    string Url);

public sealed record StripeErrorBody(StripeError Error);

public sealed record StripeError(string Type, string Code, string Message);
