using System.Globalization;
using System.Numerics;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>
/// The telemetry pipeline's settings as AppHost parameters, so that a deployment sets them like any other
/// parameter (<c>Parameters:tail-sampling-percentage</c>, or azd's prompts) and the Collector, the services and the
/// tests all read the same values.
/// </summary>
public sealed class TelemetryPipelineParameters
{
    public const string DeploymentEnvironmentName = "deployment-environment";
    public const string HeadSamplingRatioName = "head-sampling-ratio";
    public const string LatencyThresholdName = "tail-sampling-latency-threshold-ms";
    public const string SamplingPercentageName = "tail-sampling-percentage";
    public const string DecisionWaitName = "tail-sampling-decision-wait";
    public const string CollectorReplicasName = "collector-replicas";
    public const string DatadogApiKeyName = "datadog-api-key";
    public const string DatadogSiteName = "datadog-site";

    public const int DefaultLatencyThresholdMs = 1000;
    public const int DefaultSamplingPercentage = 10;
    public const string DefaultDecisionWait = "10s";

    private TelemetryPipelineParameters(IDistributedApplicationBuilder builder)
    {
        var runsLocally = builder.ExecutionContext.IsRunMode;
        DeploymentEnvironment = AddWithDefault(builder, DeploymentEnvironmentName, runsLocally ? "development" : "production");
        HeadSamplingRatio = AddWithDefault(builder, HeadSamplingRatioName, 1.0, minimum: 0.0, maximum: 1.0);
        LatencyThresholdMs = AddWithDefault(builder, LatencyThresholdName, DefaultLatencyThresholdMs, minimum: 1, maximum: 600_000);
        SamplingPercentage = AddWithDefault(builder, SamplingPercentageName, DefaultSamplingPercentage, minimum: 0, maximum: 100);
        DecisionWait = AddWithDefault(builder, DecisionWaitName, DefaultDecisionWait);
        CollectorReplicas = Read(builder, CollectorReplicasName, 1, minimum: 1, maximum: 16);

        // Datadog is optional: its exporter exists only where its key does, and the key is a secret, never a file.
        if (!string.IsNullOrEmpty(builder.Configuration[$"Parameters:{DatadogApiKeyName}"]))
        {
            DatadogApiKey = builder.AddParameter(DatadogApiKeyName, secret: true);
            DatadogSite = AddWithDefault(builder, DatadogSiteName, "datadoghq.com");
        }
    }

    public IResourceBuilder<ParameterResource> DeploymentEnvironment { get; }

    /// <summary>
    /// Share of new root traces the services keep, parent-based. Keep-all (1) by default: the Collector's tail
    /// sampling decides, and it can only keep the errors it receives.
    /// </summary>
    public IResourceBuilder<ParameterResource> HeadSamplingRatio { get; }

    public IResourceBuilder<ParameterResource> LatencyThresholdMs { get; }

    public IResourceBuilder<ParameterResource> SamplingPercentage { get; }

    public IResourceBuilder<ParameterResource> DecisionWait { get; }

    /// <summary>How many sampling-tier Collectors run; above one, a load-balancing tier routes each trace to one of them.</summary>
    public int CollectorReplicas { get; }

    public IResourceBuilder<ParameterResource>? DatadogApiKey { get; }

    public IResourceBuilder<ParameterResource>? DatadogSite { get; }

    public static TelemetryPipelineParameters Add(IDistributedApplicationBuilder builder) => new(builder);

    private static IResourceBuilder<ParameterResource> AddWithDefault(IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddParameter(name, builder.Configuration[$"Parameters:{name}"] is { Length: > 0 } configured ? configured : defaultValue, publishValueAsDefault: true);

    private static IResourceBuilder<ParameterResource> AddWithDefault<T>(
        IDistributedApplicationBuilder builder, string name, T defaultValue, T minimum, T maximum)
        where T : INumber<T> =>
        builder.AddParameter(name, Read(builder, name, defaultValue, minimum, maximum).ToString(null, CultureInfo.InvariantCulture), publishValueAsDefault: true);

    /// <summary>The configured number, checked at start-up so that a typo stops the AppHost with a message naming it.</summary>
    private static T Read<T>(IDistributedApplicationBuilder builder, string name, T defaultValue, T minimum, T maximum)
        where T : INumber<T>
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        if (string.IsNullOrEmpty(configured))
        {
            return defaultValue;
        }

        // One half is a whole number (0) only for types whose division truncates: the integers.
        var whole = T.IsInteger(T.One / (T.One + T.One));
        var style = whole ? NumberStyles.Integer : NumberStyles.Float;
        return T.TryParse(configured, style, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new DistributedApplicationException(
                $"Parameters:{name} is '{configured}'; it must be {(whole ? "a whole number" : "a number")} from {minimum} to {maximum}.");
    }
}
