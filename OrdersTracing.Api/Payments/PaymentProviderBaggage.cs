using System.Diagnostics;
using OpenTelemetry;

namespace OrdersTracing.Api.Payments;

/// <summary>
/// Keeps our baggage from the external payment provider. The trace context still goes: it tells the provider nothing
/// about our data and lets a payment be matched with the trace that asked for it. Baggage is our key-values (a caller's
/// plan, a user's e-mail, whatever an upstream service put there), and a third party has no business reading them.
/// </summary>
internal static class PaymentProviderBaggage
{
    public static IHttpClientBuilder WithoutBaggage(this IHttpClientBuilder http) => http
        .AddHttpMessageHandler(() => new OpenTelemetryBaggageHandler())
        .UseSocketsHttpHandler((sockets, _) => sockets.ActivityHeadersPropagator = new TraceContextOnlyPropagator(sockets.ActivityHeadersPropagator));

    /// <summary>
    /// OpenTelemetry's HttpClient instrumentation writes <see cref="Baggage.Current"/> as a <c>baggage</c> header; an
    /// empty one for this call writes none. The async method restores the caller's baggage when the call returns.
    /// </summary>
    private sealed class OpenTelemetryBaggageHandler : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Baggage.Current = default;
            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>The runtime's own propagation writes <see cref="Activity.Baggage"/> too; this one writes only the trace context.</summary>
    private sealed class TraceContextOnlyPropagator(DistributedContextPropagator? inner) : DistributedContextPropagator
    {
        private const string BaggageHeader = "baggage";
        private const string LegacyBaggageHeader = "Correlation-Context";

        private readonly DistributedContextPropagator inner = inner ?? Current;

        public override IReadOnlyCollection<string> Fields =>
            [.. inner.Fields.Where(name => !IsBaggage(name))];

        public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
            inner.Inject(activity, carrier, (target, name, value) =>
            {
                if (!IsBaggage(name))
                {
                    setter?.Invoke(target, name, value);
                }
            });

        public override void ExtractTraceIdAndState(object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
            inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

        public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter) => null;

        private static bool IsBaggage(string name) =>
            name.Equals(BaggageHeader, StringComparison.OrdinalIgnoreCase) || name.Equals(LegacyBaggageHeader, StringComparison.OrdinalIgnoreCase);
    }
}
