using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.Api.Payments;

/// <summary>Where the payment provider lives: the stand-in locally, the real provider in production.</summary>
public sealed class PaymentProviderOptions
{
    public const string SectionName = "PaymentProvider";

    [Required(ErrorMessage = "PaymentProvider:BaseUrl is required: the address of the payment provider.")]
    public Uri? BaseUrl { get; set; }

    /// <summary>The secret the provider signs its webhooks with; without it every webhook is refused.</summary>
    public string? WebhookSecret { get; set; }
}
