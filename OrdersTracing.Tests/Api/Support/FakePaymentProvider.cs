using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace OrdersTracing.Tests.Api.Support;

public enum ProviderAnswer
{
    Charge,
    Decline,
    Fail,

    /// <summary>No answer at all, until the client gives up.</summary>
    Hang,
}

/// <summary>
/// The payment provider's HTTP API, in process: the real <c>PaymentProviderClient</c> talks to it, so that the Api's
/// reading of a charge, a decline, an outage and a timeout is what the tests exercise.
/// </summary>
public sealed class FakePaymentProvider : HttpMessageHandler
{
    private readonly ConcurrentQueue<Guid> charges = new();

    /// <summary>What the provider answers a charge for an order; charges every order unless told otherwise.</summary>
    public Func<Guid, ProviderAnswer> Answer { get; set; } = _ => ProviderAnswer.Charge;

    /// <summary>The orders a charge was asked for, in order, once per request that reached the provider.</summary>
    public IReadOnlyList<Guid> Charges => [.. charges];

    public static string PaymentIdFor(Guid orderId) => $"pi_{orderId:N}";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var orderId = Guid.Parse(body.RootElement.GetProperty("metadata").GetProperty("order_id").GetString()!);
        charges.Enqueue(orderId);

        switch (Answer(orderId))
        {
            case ProviderAnswer.Charge:
                return Respond(HttpStatusCode.OK, new { id = PaymentIdFor(orderId), status = "succeeded" });
            case ProviderAnswer.Decline:
                return Respond(HttpStatusCode.PaymentRequired, new { error = new { type = "card_error", code = "card_declined", message = "Your card was declined." } });
            case ProviderAnswer.Fail:
                return Respond(HttpStatusCode.ServiceUnavailable, new { error = new { type = "api_error", code = "unavailable", message = "The provider is unavailable." } });
            default:
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                throw new InvalidOperationException("A hanging charge only ends when the client cancels it.");
        }
    }

    private static HttpResponseMessage Respond(HttpStatusCode status, object body) =>
        new(status) { Content = JsonContent.Create(body) };
}
