namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>The stand-in's own attribute names; the ones every service shares are in <c>TelemetryTags</c>.</summary>
public static class PaymentProviderTelemetry
{
    /// <summary>Whether a request reached the provider with a <c>baggage</c> header, as an outside provider would see it.</summary>
    public const string ReceivedBaggageTag = "payments.request.baggage";
}
