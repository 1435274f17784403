namespace OrdersTracing.AppHost.Payments;

public static class PaymentProviderExtensions
{
    public const string ConfigurationSection = "PaymentProvider";

    /// <summary>
    /// Gives the Api the payment provider's address: the real provider when <c>PaymentProvider:Url</c> is set,
    /// otherwise the stand-in, whose latency and failure rate come from <c>PaymentProvider:Latency</c> and
    /// <c>PaymentProvider:FailureRate</c> (for example <c>./run.sh --PaymentProvider:Latency=00:00:00.300</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithPaymentProvider(this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ConfigurationSection);
        if (settings["Url"] is { Length: > 0 } external)
        {
            if (!Uri.TryCreate(external, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            {
                throw new DistributedApplicationException($"{ConfigurationSection}:Url is '{external}'; it must be an absolute http or https URL.");
            }

            return api.WithEnvironment("PaymentProvider__BaseUrl", url.ToString());
        }

        var standIn = builder.AddProject<Projects.OrdersTracing_PaymentProvider>("payments");
        foreach (var setting in new[] { "Latency", "FailureRate" })
        {
            if (settings[setting] is { Length: > 0 } value)
            {
                standIn.WithEnvironment($"{ConfigurationSection}__{setting}", value);
            }
        }

        return api.WithEnvironment("PaymentProvider__BaseUrl", standIn.GetEndpoint("http"));
    }
}
