using OrdersTracing.AppHost.Faults;
using OrdersTracing.AppHost.Services;
using OrdersTracing.AppHost.Telemetry;

namespace OrdersTracing.AppHost.Payments;

/// <summary>
/// The payment provider the Api calls: a real one at <see cref="ExternalUrl"/>, or the stand-in; and the secret
/// its webhooks are signed with.
/// </summary>
public sealed record PaymentProvider(IResourceBuilder<ProjectResource>? StandIn, Uri? ExternalUrl, IResourceBuilder<ParameterResource> WebhookSecret);

/// <summary>One switch between a real provider and the stand-in, so the Api is wired the same way to either.</summary>
public static class PaymentProviderResourceExtensions
{
    public const string ConfigurationSection = "PaymentProvider";
    private const string WebhookSecretName = "payment-webhook-secret";

    /// <summary>
    /// The real payment provider when <c>PaymentProvider:Url</c> is set, otherwise the stand-in, whose latency and
    /// failure rate come from <c>PaymentProvider:Latency</c> and <c>PaymentProvider:FailureRate</c>
    /// (for example <c>./run.sh --PaymentProvider:Latency=00:00:00.300</c>).
    /// </summary>
    public static PaymentProvider AddPaymentProvider(this IDistributedApplicationBuilder builder, string name, TelemetryPipeline telemetry)
    {
        var settings = builder.Configuration.GetSection(ConfigurationSection);
        if (settings["Url"] is { Length: > 0 } external)
        {
            // A real provider issues the secret: it must be given, as a secret parameter.
            return Uri.TryCreate(external, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? new PaymentProvider(StandIn: null, url, builder.AddParameter(WebhookSecretName, secret: true))
                : throw new DistributedApplicationException($"{ConfigurationSection}:Url is '{external}'; it must be an absolute http or https URL.");
        }

        var webhookSecret = builder.CreateResourceBuilder(ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, WebhookSecretName));

        var standIn = builder.AddProject<Projects.OrdersTracing_PaymentProvider>(name)
            .WithTelemetry(telemetry)
            .WithServiceSettings()
            .WithHttpHealthCheck(ServiceHealth.Path)
            .WithFaultCommands();
        foreach (var setting in new[] { "Latency", "FailureRate" })
        {
            if (settings[setting] is { Length: > 0 } value)
            {
                standIn.WithEnvironment($"{ConfigurationSection}__{setting}", value);
            }
        }

        standIn.WithEnvironment($"{ConfigurationSection}__WebhookSecret", webhookSecret);
        return new PaymentProvider(standIn, ExternalUrl: null, webhookSecret);
    }

    public static IResourceBuilder<ProjectResource> WithPaymentProvider(this IResourceBuilder<ProjectResource> api, PaymentProvider payments)
    {
        api.WithEnvironment($"{ConfigurationSection}__WebhookSecret", payments.WebhookSecret);
        if (payments.StandIn is not { } standIn)
        {
            return api.WithEnvironment($"{ConfigurationSection}__BaseUrl", payments.ExternalUrl!.ToString());
        }

        // The stand-in calls back as a real provider would: a signed webhook to the Api.
        standIn.WithEnvironment($"{ConfigurationSection}__WebhookUrl", ReferenceExpression.Create($"{api.GetEndpoint("http")}/api/payments/webhook"));
        return api
            .WithEnvironment($"{ConfigurationSection}__BaseUrl", standIn.GetEndpoint("http"))
            .WaitFor(standIn);
    }
}
