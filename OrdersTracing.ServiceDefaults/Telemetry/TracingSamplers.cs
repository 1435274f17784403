using OpenTelemetry.Trace;

namespace OrdersTracing.ServiceDefaults.Telemetry;

public static class TracingSamplers
{
    /// <summary>
    /// Parent-based, so a service never breaks a trace another service decided to keep; only new root traces
    /// are sampled at <paramref name="ratio"/>.
    /// </summary>
    public static Sampler ParentBasedRatio(double ratio) =>
        new ParentBasedSampler(ratio >= 1.0 ? new AlwaysOnSampler() : new TraceIdRatioBasedSampler(ratio));
}
