using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Webhooks;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// Tells the merchant that a payment succeeded, as Stripe's webhooks do: a signed <c>payment_intent.succeeded</c>
/// event, sent after the API call has answered. It runs in the request's trace, so the callback shows up there.
/// </summary>
public sealed class WebhookSender(HttpClient http, IOptionsMonitor<PaymentStandInOptions> options, TimeProvider clock, ILogger<WebhookSender> logger)
{
    public async Task SendSucceededAsync(PaymentIntent intent, IReadOnlyDictionary<string, string>? metadata)
    {
        var settings = options.CurrentValue;
        if (settings is not { WebhookUrl: { } url, WebhookSecret: { Length: > 0 } secret })
        {
            return;
        }

        var body = JsonSerializer.Serialize(new
        {
            id = $"evt_{Guid.NewGuid():N}",
            type = "payment_intent.succeeded",
            data = new { @object = new { intent.Id, intent.Amount, intent.Currency, intent.Status, metadata } },
        }, JsonSerializerOptions.Web);

        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add(WebhookSignature.HeaderName, WebhookSignature.Sign(body, secret, clock.GetUtcNow()));

        try
        {
            using var response = await http.SendAsync(request);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("The webhook for {PaymentIntent} was answered {Status}.", intent.Id, (int)response.StatusCode);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // Sent after the answer, on no request's behalf: nothing else would ever see this failure.
            logger.LogWarning(exception, "The webhook for {PaymentIntent} could not be delivered.", intent.Id);
        }
    }
}
