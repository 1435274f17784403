using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Payments;

/// <summary>The payment provider the Api calls: a real one at <see cref="ExternalUrl"/>, or the stand-in.</summary>
public sealed record PaymentProvider(IResourceBuilder<ProjectResource>? StandIn, Uri? ExternalUrl);

public static class PaymentProviderExtensions
{
    public const string ConfigurationSection = "PaymentProvider";

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
            return Uri.TryCreate(external, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
                ? new PaymentProvider(StandIn: null, url)
                : throw new DistributedApplicationException($"{ConfigurationSection}:Url is '{external}'; it must be an absolute http or https URL.");
        }

        var standIn = builder.AddProject<Projects.OrdersTracing_PaymentProvider>(name).WithTelemetry(telemetry).WithServiceSettings();
        foreach (var setting in new[] { "Latency", "FailureRate" })
        {
            if (settings[setting] is { Length: > 0 } value)
            {
                standIn.WithEnvironment($"{ConfigurationSection}__{setting}", value);
            }
        }

        return new PaymentProvider(standIn, ExternalUrl: null);
    }

    public static IResourceBuilder<ProjectResource> WithPaymentProvider(this IResourceBuilder<ProjectResource> api, PaymentProvider payments)
    {
        if (payments.StandIn is not { } standIn)
        {
            return api.WithEnvironment("PaymentProvider__BaseUrl", payments.ExternalUrl!.ToString());
        }

        return api
            .WithEnvironment("PaymentProvider__BaseUrl", standIn.GetEndpoint("http"))
            .WaitFor(standIn);
    }
}
