using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// Sends each attempt of the payment call to a local port nothing listens on, inside the resilience pipeline: every
/// retry is refused for real and each shows as its own client span, as when the provider cannot be reached.
/// </summary>
internal sealed class ProviderUnreachableHandler(FaultSwitch faults) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (faults.IsOn(FaultKind.ProviderUnreachable) && request.RequestUri is { } uri)
        {
            request.RequestUri = new UriBuilder(uri) { Host = "127.0.0.1", Port = ClosedPort.Number }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
