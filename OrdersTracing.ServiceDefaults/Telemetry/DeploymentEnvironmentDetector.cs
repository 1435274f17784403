using OpenTelemetry.Resources;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>Labels every span with the environment it ran in, from <see cref="TracingOptions"/>.</summary>
internal sealed class DeploymentEnvironmentDetector(string environment) : IResourceDetector
{
    // deployment.environment is what the reference design, Jaeger and the Collector's connectors look for;
    // deployment.environment.name is its name in current semantic conventions.
    public Resource Detect() => new(new Dictionary<string, object>
    {
        [TelemetryTags.DeploymentEnvironment] = environment,
        [TelemetryTags.DeploymentEnvironmentName] = environment,
    });
}
