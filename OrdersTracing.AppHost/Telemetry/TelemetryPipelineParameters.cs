using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>
/// The telemetry pipeline's settings as AppHost parameters, so that a deployment sets them like any other
/// parameter (<c>Parameters:tail-sampling-percentage</c>, or azd's prompts) and the Collector, the services and the
/// tests all read the same values.
/// </summary>
public sealed partial class TelemetryPipelineParameters
{
    public const string DeploymentEnvironmentName = "deployment-environment";
    public const string HeadSamplingRatioName = "head-sampling-ratio";
    public const string LatencyThresholdName = "tail-sampling-latency-threshold-ms";
    public const string SamplingPercentageName = "tail-sampling-percentage";
    public const string DecisionWaitName = "tail-sampling-decision-wait";
    public const string CollectorReplicasName = "collector-replicas";
    public const string CollectorMemoryLimitName = "collector-memory-limit-mib";
    public const string DatadogApiKeyName = "datadog-api-key";
    public const string DatadogSiteName = "datadog-site";
    public const string TraceStoreName = "trace-store";
    public const string TraceRetentionName = "trace-retention";
    public const string ElasticsearchUrlsName = "elasticsearch-urls";

    public const int DefaultLatencyThresholdMs = 1000;
    public const int DefaultSamplingPercentage = 10;
    public const string DefaultDecisionWait = "10s";
    public const int DefaultCollectorMemoryLimitMib = 512;

    /// <summary>Badger's own default (<c>ttl.spans</c>, jaeger v2.19.0 internal/storage/v1/badger/config.go): three days.</summary>
    public const string DefaultTraceRetention = "72h";

    private TelemetryPipelineParameters(IDistributedApplicationBuilder builder)
    {
        var runsLocally = builder.ExecutionContext.IsRunMode;
        DeploymentEnvironment = AddWithDefault(builder, DeploymentEnvironmentName, runsLocally ? "development" : "production");
        HeadSamplingRatio = AddWithDefault(builder, HeadSamplingRatioName, 1.0, minimum: 0.0, maximum: 1.0);
        LatencyThresholdMs = AddWithDefault(builder, LatencyThresholdName, DefaultLatencyThresholdMs, minimum: 1, maximum: 600_000);
        SamplingPercentage = AddWithDefault(builder, SamplingPercentageName, DefaultSamplingPercentage, minimum: 0, maximum: 100);
        DecisionWait = builder.AddParameter(DecisionWaitName, ReadDuration(builder, DecisionWaitName, DefaultDecisionWait), publishValueAsDefault: true);
        TraceStore = ReadTraceStore(builder);
        if (TraceStore == TraceStore.Badger)
        {
            TraceRetention = builder.AddParameter(TraceRetentionName, ReadDuration(builder, TraceRetentionName, DefaultTraceRetention, "72h or 720h"), publishValueAsDefault: true);
        }
        else
        {
            // The cluster's address is the deployment's to give: there is no default that could be right.
            ElasticsearchUrls = builder.Configuration[$"Parameters:{ElasticsearchUrlsName}"] is { Length: > 0 } urls
                ? builder.AddParameter(ElasticsearchUrlsName, ReadUrls(ElasticsearchUrlsName, urls), publishValueAsDefault: true)
                : throw new DistributedApplicationException(
                    $"Parameters:{TraceStoreName} is '{TraceStore}', which needs Parameters:{ElasticsearchUrlsName}: the cluster's address " +
                    "(http://host:9200, several separated by commas).");
        }

        CollectorReplicas = Read(builder, CollectorReplicasName, 1, minimum: 1, maximum: 16);
        CollectorMemoryLimitMib = AddWithDefault(builder, CollectorMemoryLimitName, DefaultCollectorMemoryLimitMib, minimum: 64, maximum: 65_536);

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

    /// <summary>
    /// The memory each Collector's memory_limiter holds it under, in MiB. A fixed limit, not a percentage: with no
    /// container memory limit (the local program, or a container run without one) the Collector takes the percentage
    /// of the whole machine's memory, which limits nothing. A deployment gives the container more than this.
    /// </summary>
    public IResourceBuilder<ParameterResource> CollectorMemoryLimitMib { get; }

    /// <summary>Where Jaeger keeps traces: Badger on a data volume by default, or a cluster (see docs/telemetry-pipeline.md).</summary>
    public TraceStore TraceStore { get; }

    /// <summary>How long Badger keeps a span (<c>ttl.spans</c>); Badger only: a cluster's retention is the cluster's own.</summary>
    public IResourceBuilder<ParameterResource>? TraceRetention { get; }

    /// <summary>The Elasticsearch or OpenSearch nodes Jaeger writes to, comma-separated; a clustered store only.</summary>
    public IResourceBuilder<ParameterResource>? ElasticsearchUrls { get; }

    public IResourceBuilder<ParameterResource>? DatadogApiKey { get; }

    public IResourceBuilder<ParameterResource>? DatadogSite { get; }

    public static TelemetryPipelineParameters Add(IDistributedApplicationBuilder builder) => new(builder);

    private static IResourceBuilder<ParameterResource> AddWithDefault(IDistributedApplicationBuilder builder, string name, string defaultValue) =>
        builder.AddParameter(name, builder.Configuration[$"Parameters:{name}"] is { Length: > 0 } configured ? configured : defaultValue, publishValueAsDefault: true);

    private static IResourceBuilder<ParameterResource> AddWithDefault<T>(
        IDistributedApplicationBuilder builder, string name, T defaultValue, T minimum, T maximum)
        where T : INumber<T> =>
        builder.AddParameter(name, Read(builder, name, defaultValue, minimum, maximum).ToString(null, CultureInfo.InvariantCulture), publishValueAsDefault: true);

    /// <summary>
    /// The configured duration in Go's notation, which is how the Collector reads it. A bare number is refused: the
    /// Collector takes a number as nanoseconds, and a decision wait of 10 ns decides before a trace's spans arrive.
    /// </summary>
    private static string ReadDuration(IDistributedApplicationBuilder builder, string name, string defaultValue, string examples = "10s or 1m30s")
    {
        var configured = builder.Configuration[$"Parameters:{name}"];
        if (string.IsNullOrEmpty(configured))
        {
            return defaultValue;
        }

        return GoDuration().IsMatch(configured) && GoDurationDigits().IsMatch(configured)
            ? configured
            : throw new DistributedApplicationException(
                $"Parameters:{name} is '{configured}'; it must be a positive duration with a unit (h, m, s, ms, us or ns), such as {examples}.");
    }

    private static TraceStore ReadTraceStore(IDistributedApplicationBuilder builder)
    {
        var configured = builder.Configuration[$"Parameters:{TraceStoreName}"];
        if (string.IsNullOrEmpty(configured))
        {
            return TraceStore.Badger;
        }

        // Names only: Enum.TryParse would also take "1" or "badger,elasticsearch".
        return Enum.GetNames<TraceStore>().FirstOrDefault(name => string.Equals(name, configured, StringComparison.OrdinalIgnoreCase)) is { } known
            ? Enum.Parse<TraceStore>(known)
            : throw new DistributedApplicationException(
                $"Parameters:{TraceStoreName} is '{configured}'; it must be one of {string.Join(", ", Enum.GetNames<TraceStore>().Select(name => name.ToLowerInvariant()))}.");
    }

    /// <summary>Absolute http(s) URLs, comma-separated, as Jaeger's <c>server_urls</c> takes them (it validates each as a URL).</summary>
    private static string ReadUrls(string name, string configured)
    {
        var urls = configured.Split(',', StringSplitOptions.TrimEntries);
        return urls.All(url => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            ? string.Join(",", urls)
            : throw new DistributedApplicationException(
                $"Parameters:{name} is '{configured}'; it must be one or more http(s) URLs separated by commas, such as http://elasticsearch:9200.");
    }

    // Go's time.ParseDuration without its sign and without its unit-less "0": one or more number-and-unit pairs.
    [GeneratedRegex(@"^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$")]
    private static partial Regex GoDuration();

    // At least one digit other than 0, so that 0s is refused too.
    [GeneratedRegex("[1-9]")]
    private static partial Regex GoDurationDigits();

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
