using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Http.Resilience;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Payments;

/// <summary>
/// Creates Stripe-style payment intents. Failures come back as a <see cref="PaymentResult"/>, never as an
/// exception, so the caller always gets to record what happened to the order.
/// </summary>
public sealed class PaymentProviderClient(HttpClient http, ILogger<PaymentProviderClient> logger) : IPaymentProvider
{
    /// <summary>
    /// The customer may be waiting for the payment, so retries are few and quick and the whole call is bounded well
    /// within a person's patience. A POST is retried, unlike every other client's, because the Idempotency-Key makes it
    /// safe: the provider answers a repeated key with the first charge instead of making another, even when the first
    /// attempt charged and only its answer was lost. The circuit opens once the provider is plainly down, so calls fail
    /// at once instead of piling onto it, and the outbox keeps the background payments for later.
    /// </summary>
    internal static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxRetryAttempts = 3;
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.FailureRatio = 0.5;
        options.CircuitBreaker.MinimumThroughput = 10;
        options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(5);
    }

    public async Task<PaymentResult> ChargeAsync(Order order, string paymentMethod, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.ChargePayment);
        activity?.SetTag(TelemetryTags.OrderId, order.Id);
        activity?.SetTag(TelemetryTags.TenantId, order.TenantId);

        var result = await SendAsync(order, paymentMethod, cancellationToken);

        activity?.SetTag(TelemetryTags.PaymentStatus, result.Succeeded ? OrdersTelemetry.PaymentStatuses.Succeeded : result.Failure.ToString().ToLowerInvariant());
        if (result.Succeeded)
        {
            activity?.SetTag(TelemetryTags.PaymentId, result.PaymentId);
        }
        else
        {
            activity.RecordPaymentFailure(order.Id, result);
            logger.LogWarning("Payment for order {OrderId} failed ({Failure}): {Error}", order.Id, result.Failure, result.Error);
        }

        return result;
    }

    public Task<PaymentLookup> LookUpAsync(string paymentId, CancellationToken cancellationToken) =>
        ReadLookupAsync<PaymentIntent>($"payment_intents/{Uri.EscapeDataString(paymentId)}", intent => [intent], cancellationToken);

    public Task<PaymentLookup> LookUpAsync(IReadOnlyCollection<string> paymentIds, CancellationToken cancellationToken) =>
        ReadLookupAsync<PaymentIntentList>(
            $"payment_intents?{string.Join('&', paymentIds.Select(id => $"ids={Uri.EscapeDataString(id)}"))}",
            list => list.Data ?? [],
            cancellationToken);

    public Task<ProviderRecords> ListChargesAsync(string paymentId, CancellationToken cancellationToken) =>
        ReadRecordsAsync($"charges?payment_intent={Uri.EscapeDataString(paymentId)}", cancellationToken);

    public Task<ProviderRecords> ListRefundsAsync(string paymentId, CancellationToken cancellationToken) =>
        ReadRecordsAsync($"refunds?payment_intent={Uri.EscapeDataString(paymentId)}", cancellationToken);

    private Task<PaymentLookup> ReadLookupAsync<T>(string path, Func<T, IEnumerable<PaymentIntent>> intentsOf, CancellationToken cancellationToken) =>
        ReadAsync<T, PaymentLookup>(
            path,
            body => PaymentLookup.Found((body is null ? [] : intentsOf(body))
                .Where(intent => intent.Id is not null && intent.Status is not null)
                .ToDictionary(intent => intent.Id!, intent => intent.Status!, StringComparer.Ordinal)),
            PaymentLookup.Failed,
            cancellationToken);

    private Task<ProviderRecords> ReadRecordsAsync(string path, CancellationToken cancellationToken) =>
        ReadAsync<PaymentRecordList, ProviderRecords>(
            path,
            body => ProviderRecords.Found([.. (body?.Data ?? [])
                .Where(record => record.Id is not null && record.Status is not null)
                .Select(record => new ProviderRecord(record.Id!, record.Amount, record.Status!))]),
            ProviderRecords.Failed,
            cancellationToken);

    /// <param name="found">Also for a 404: a payment the provider does not know has nothing to say of it, which is not a failure to ask.</param>
    private async Task<TResult> ReadAsync<T, TResult>(string path, Func<T?, TResult> found, Func<string, TResult> failed, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return found(default);
            }

            if (!response.IsSuccessStatusCode)
            {
                return failed(await ReadErrorAsync(response, cancellationToken));
            }

            return found(await response.Content.ReadFromJsonAsync<T>(cancellationToken));
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.ExecutionRejectedException or System.Text.Json.JsonException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return failed($"The payment provider could not be reached: {exception.Message}");
        }
    }

    private async Task<PaymentResult> SendAsync(Order order, string paymentMethod, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "payment_intents")
        {
            Content = JsonContent.Create(new PaymentIntentRequest(
                Amount: decimal.ToInt64(order.Total * 100),
                Currency: order.Currency,
                PaymentMethod: paymentMethod,
                Metadata: new Dictionary<string, string> { ["order_id"] = order.Id.ToString(), ["tenant_id"] = order.TenantId })),
        };

        // One key per order: a retried request can never charge the customer twice.
        request.Headers.Add("Idempotency-Key", order.Id.ToString("N", CultureInfo.InvariantCulture));

        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                var intent = await response.Content.ReadFromJsonAsync<PaymentIntent>(cancellationToken);
                return intent?.Id is { Length: > 0 } id
                    ? PaymentResult.Paid(id)
                    : PaymentResult.Failed(PaymentFailure.Unavailable, "The payment provider answered without a payment intent id.");
            }

            var error = await ReadErrorAsync(response, cancellationToken);
            return response.StatusCode == HttpStatusCode.PaymentRequired
                ? PaymentResult.Failed(PaymentFailure.Declined, error)
                : PaymentResult.Failed(PaymentFailure.Unavailable, error);
        }
        catch (Exception exception) when (exception is HttpRequestException or Polly.ExecutionRejectedException
                                              || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return PaymentResult.Failed(PaymentFailure.Unavailable, $"The payment provider could not be reached: {exception.Message}");
        }
    }

    private static async Task<string> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var fallback = $"The payment provider answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        try
        {
            var body = await response.Content.ReadFromJsonAsync<PaymentErrorBody>(cancellationToken);
            return body?.Error?.Message ?? fallback;
        }
        catch (System.Text.Json.JsonException)
        {
            return fallback;
        }
    }

    private sealed record PaymentIntentRequest(
        long Amount,
        string Currency,
        [property: JsonPropertyName("payment_method")] string PaymentMethod,
        IReadOnlyDictionary<string, string> Metadata);

    private sealed record PaymentIntent(string? Id, string? Status);

    private sealed record PaymentIntentList(IReadOnlyList<PaymentIntent>? Data);

    private sealed record PaymentRecord(string? Id, long Amount, string? Status);

    private sealed record PaymentRecordList(IReadOnlyList<PaymentRecord>? Data);

    private sealed record PaymentErrorBody(PaymentError? Error);

    private sealed record PaymentError(string? Type, string? Code, string? Message);
}
