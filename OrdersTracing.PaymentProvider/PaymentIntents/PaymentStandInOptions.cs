using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// How the payment stand-in behaves (section <c>PaymentProvider</c>, as the Api's settings for the provider it calls):
/// slow and failing, so that such providers can be shown and tested, and where it sends its webhooks.
/// </summary>
public sealed class PaymentStandInOptions
{
    public const string SectionName = "PaymentProvider";

    /// <summary>Time every payment intent takes, like a real provider's round trip.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "PaymentProvider:Latency must be between 0 and 5 minutes.")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Share of requests (0 to 1) answered with a 500 <c>api_error</c>; switched on at start as a <see cref="OrdersTracing.ServiceDefaults.Faults.FaultKind.ProviderErrors"/> fault of that probability.</summary>
    [Range(0.0, 1.0, ErrorMessage = "PaymentProvider:FailureRate must be between 0 and 1.")]
    public double FailureRate { get; set; }

    /// <summary>Where <c>payment_intent.succeeded</c> events go, signed with <see cref="WebhookSecret"/>; none are sent when unset.</summary>
    public Uri? WebhookUrl { get; set; }

    public string? WebhookSecret { get; set; }
}
