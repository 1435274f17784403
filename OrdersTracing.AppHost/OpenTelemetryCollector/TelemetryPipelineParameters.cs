using System.Globalization;

namespace OrdersTracing.AppHost.OpenTelemetryCollector;

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
        HeadSamplingRatio = AddWithDefault(builder, HeadSamplingRatioName, ReadRatio(builder, HeadSamplingRatioName, 1.0).ToString(CultureInfo.InvariantCulture));
        LatencyThresholdMs = AddWithDefault(builder, LatencyThresholdName, DefaultLatencyThresholdMs, minimum: 1, maximum: 600_000);
        SamplingPercentage = AddWithDefault(builder, SamplingPercentageName, DefaultSamplingPercentage, minimum: 0, maximum: 100);
        DecisionWait = AddWithDefault(builder, DecisionWaitName, DefaultDecisionWait);
        CollectorReplicas = ReadInteger(builder, CollectorReplicasName, 1, minimum: 1, maximum: 16);

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

    private static IResourceBuilder<ParameterResource> AddWithDefault(
        IDistributedApplicationBuilder builder, string name, int defaultValue, int minimum, int maximum) =>
        builder.AddParameter(name, ReadInteger(builder, name, defaultValue, minimum, maximum).ToString(CultureInfo.InvariantCulture), publishValueAsDefault: true);

    private static double ReadRatio(IDistributedApplicationBuilder builder, string name, double defaultValue)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        if (string.IsNullOrEmpty(configured))
        {
            return defaultValue;
        }

        return double.TryParse(configured, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1
            ? value
            : throw new DistributedApplicationException($"Parameters:{name} is '{configured}'; it must be a number from 0 to 1.");
    }

    private static int ReadInteger(IDistributedApplicationBuilder builder, string name, int defaultValue, int minimum, int maximum)
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        if (string.IsNullOrEmpty(configured))
        {
            return defaultValue;
        }

        return int.TryParse(configured, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum && value <= maximum
            ? value
            : throw new DistributedApplicationException($"Parameters:{name} is '{configured}'; it must be a whole number from {minimum} to {maximum}.");
    }
}
