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
    private readonly ConcurrentQueue<Uri> lookups = new();
    private readonly ConcurrentDictionary<string, bool> charged = new();

    /// <summary>What the provider answers a charge for an order; charges every order unless told otherwise.</summary>
    public Func<Guid, ProviderAnswer> Answer { get; set; } = _ => ProviderAnswer.Charge;

    /// <summary>The orders a charge was asked for, in order, once per request that reached the provider.</summary>
    public IReadOnlyList<Guid> Charges => [.. charges];

    /// <summary>Every read of payment intents (<c>GET</c>), in order, once per request that reached the provider.</summary>
    public IReadOnlyList<Uri> Lookups => [.. lookups];

    public static string PaymentIdFor(Guid orderId) => $"pi_{orderId:N}";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Get)
        {
            return LookUp(request.RequestUri!);
        }

        using var body = JsonDocument.Parse(await request.Content!.ReadAsStringAsync(cancellationToken));
        var orderId = Guid.Parse(body.RootElement.GetProperty("metadata").GetProperty("order_id").GetString()!);
        charges.Enqueue(orderId);

        switch (Answer(orderId))
        {
            case ProviderAnswer.Charge:
                charged[PaymentIdFor(orderId)] = true;
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

    /// <summary>Stripe's retrieve (<c>/payment_intents/{id}</c>) and a list of given ids (<c>/payment_intents?ids=...</c>).</summary>
    private HttpResponseMessage LookUp(Uri uri)
    {
        lookups.Enqueue(uri);
        var segments = uri.AbsolutePath.Trim('/').Split('/');
        if (segments.Length == 2)
        {
            var id = Uri.UnescapeDataString(segments[1]);
            return charged.ContainsKey(id)
                ? Respond(HttpStatusCode.OK, Intent(id))
                : Respond(HttpStatusCode.NotFound, new { error = new { type = "invalid_request_error", code = "resource_missing", message = $"No such payment_intent: '{id}'" } });
        }

        var ids = IdsOf(uri).Where(charged.ContainsKey).Select(Intent).ToList();
        return Respond(HttpStatusCode.OK, new { @object = "list", data = ids, has_more = false });
    }

    public static IReadOnlyList<string> IdsOf(Uri uri) =>
        [.. uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair is ["ids", _])
            .Select(pair => Uri.UnescapeDataString(pair[1]))];

    private static object Intent(string id) => new { id, @object = "payment_intent", status = "succeeded" };

    private static HttpResponseMessage Respond(HttpStatusCode status, object body) =>
        new(status) { Content = JsonContent.Create(body) };
}
