using System.Diagnostics.Metrics;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>What the relay refused and why, so an operator sees a flood or a broken page before the trace has gaps.</summary>
public sealed class BrowserTelemetryMetrics : IDisposable
{
    private readonly Meter meter = new(BrowserTelemetryNames.MeterName);
    private readonly Counter<long> refused;
    private readonly Counter<long> accepted;

    public BrowserTelemetryMetrics()
    {
        refused = meter.CreateCounter<long>(BrowserTelemetryNames.RefusedCounter, "{request}", "Browser telemetry requests the relay refused, by reason.");
        accepted = meter.CreateCounter<long>(BrowserTelemetryNames.AcceptedSpansCounter, "{span}", "Browser spans the relay forwarded.");
    }

    public void Refused(string reason) => refused.Add(1, new KeyValuePair<string, object?>(BrowserTelemetryNames.ReasonTag, reason));

    public void Accepted(int spans) => accepted.Add(spans);

    public void Dispose() => meter.Dispose();
}
