using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.ServiceDefaults.Webhooks;

namespace OrdersTracing.Api.Payments;

/// <summary>
/// The payment provider's callback: a signed <c>payment_intent.succeeded</c> settles the order it names. It is
/// idempotent (providers deliver events more than once) and never moves a settled order back.
/// </summary>
public static class PaymentWebhooksApi
{
    public const string SucceededEvent = "payment_intent.succeeded";

    public static RouteHandlerBuilder MapPaymentWebhooksApi(this IEndpointRouteBuilder app) =>
        app.MapPost("/api/payments/webhook", ReceiveAsync).WithTags("Payments");

    private static async Task<Results<Ok, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, OrderPayments payments, IOptions<PaymentProviderOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.ReceiveWebhook);
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);

        if (options.Value.WebhookSecret is not { Length: > 0 } secret
            || !WebhookSignature.IsValid(request.Headers[WebhookSignature.HeaderName], body, secret, clock.GetUtcNow()))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook signature is not valid.");
        }

        if (!TryRead(body, out var type, out var paymentId, out var orderId, out var tenantId))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "The webhook event could not be read.");
        }

        activity?.SetTag(TelemetryTags.PaymentId, paymentId);
        activity?.SetTag(TelemetryTags.OrderId, orderId);
        if (type != SucceededEvent)
        {
            return TypedResults.Ok();
        }

        var recorded = await payments.RecordChargedAsync(orderId, tenantId, paymentId, cancellationToken);
        activity?.SetTag(TelemetryTags.PaymentStatus, recorded == ChargeRecording.UnknownOrder
            ? OrdersTelemetry.PaymentStatuses.UnknownOrder
            : PaymentStatus.Paid.ToString());
        // Which delivery settled the order, among the copies the provider sent to whichever replicas.
        activity?.SetTag(OrdersTelemetry.Tags.PaymentApplied, recorded == ChargeRecording.Applied);
        return TypedResults.Ok();
    }

    private static bool TryRead(string body, out string type, out string paymentId, out Guid orderId, out string tenantId)
    {
        (type, paymentId, orderId, tenantId) = ("", "", Guid.Empty, "");
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var intent = root.GetProperty("data").GetProperty("object");
            type = root.GetProperty("type").GetString() ?? "";
            paymentId = intent.GetProperty("id").GetString() ?? "";
            var metadata = intent.GetProperty("metadata");
            tenantId = metadata.GetProperty("tenant_id").GetString() ?? "";
            return paymentId.Length > 0
                && tenantId.Length > 0
                && metadata.GetProperty("order_id").GetString() is { } order
                && Guid.TryParse(order, out orderId);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
