using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Telemetry;
using YamlDotNet.Serialization;

namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// Jaeger's Monitor tab in container mode: Prometheus scrapes every sampling-tier Collector's span metrics, Jaeger reads
/// them under the names the Collector writes, and the dashboard links to the tab.
/// </summary>
public sealed class MonitorTabTests
{
    private static readonly string PrometheusFolder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "Prometheus"));
    private static readonly string JaegerFolder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "Jaeger"));
    private static readonly string CollectorFolder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "OpenTelemetryCollector"));

    [Fact]
    public async Task Container_mode_builds_prometheus_from_its_pinned_image_with_its_series_on_a_named_volume()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var prometheus = host.Resource("prometheus");
        var build = Assert.Single(prometheus.Annotations.OfType<DockerfileBuildAnnotation>());
        var dockerfile = await File.ReadAllTextAsync(build.DockerfilePath, TestContext.Current.CancellationToken);
        var mount = Assert.Single(prometheus.Annotations.OfType<ContainerMountAnnotation>());
        var endpoint = Assert.Single(prometheus.Annotations.OfType<EndpointAnnotation>());

        Assert.Equal(PrometheusFolder, Path.GetFullPath(build.ContextPath));
        Assert.Equal(PrometheusExtensions.ImageTag, build.BuildArguments["PROMETHEUS_VERSION"]);
        Assert.Matches(@"^v\d+\.\d+\.\d+$", PrometheusExtensions.ImageTag);
        Assert.Contains("FROM quay.io/prometheus/prometheus:${PROMETHEUS_VERSION}", dockerfile);
        Assert.Contains("COPY prometheus.yml /etc/prometheus/prometheus.yml", dockerfile);
        Assert.Equal((ContainerMountType.Volume, PrometheusExtensions.DataDirectory), (mount.Type, mount.Target));
        Assert.False(string.IsNullOrEmpty(mount.Source));
        Assert.Equal(9090, endpoint.TargetPort);
        Assert.NotEmpty(prometheus.Annotations.OfType<HealthCheckAnnotation>());
    }

    [Theory]
    [InlineData(1, new[] { "collector:8889" })]
    [InlineData(2, new[] { "collector-sampling-1:8889", "collector-sampling-2:8889" })]
    public async Task Prometheus_scrapes_the_span_metrics_of_every_sampling_collector(int replicas, string[] expected)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, $"--Parameters:collector-replicas={replicas}");
        await host.PrepareForStartAsync();

        var build = Assert.Single(host.Resource("prometheus").Annotations.OfType<DockerfileBuildAnnotation>());
        var targets = ScrapeTargets(RenderedConfig((string)build.BuildArguments["SCRAPE_TARGETS"]!));

        Assert.Equal(expected, targets);
        foreach (var target in targets)
        {
            // Each target is where that Collector's prometheus exporter listens in its container.
            var collector = target.Split(':')[0];
            var environment = await host.EnvironmentOfAsync(collector);
            Assert.Equal($"0.0.0.0:{target.Split(':')[1]}", environment["COLLECTOR_PROMETHEUS_ENDPOINT"]);
        }
    }

    [Fact]
    public async Task Jaeger_reads_its_metrics_from_prometheus_over_the_container_network()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("jaeger");
        var arguments = await host.ArgumentsOfAsync("jaeger");

        Assert.Equal("http://prometheus:9090", environment["PROMETHEUS_ENDPOINT"]);
        Assert.Equal(["--config", "/etc/jaeger/monitor.yaml"], arguments.TakeLast(2));
    }

    [Fact]
    public async Task The_dashboard_links_to_jaegers_monitor_tab()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var urls = await host.UrlsOfAsync("jaeger");

        var ui = Assert.Single(urls, url => url.DisplayText == "Jaeger UI");
        var monitor = Assert.Single(urls, url => url.DisplayText == "Jaeger Monitor");
        Assert.Equal($"{ui.Url.TrimEnd('/')}/monitor", monitor.Url);
        Assert.StartsWith("http://localhost:", monitor.Url);
    }

    /// <summary>
    /// The names jaeger v2.19.0's Prometheus reader queries (metricstore/prometheus/metricstore/reader.go) are made from
    /// monitor.yaml; the names there are what the Collector's span_metrics connector and prometheus exporter write.
    /// </summary>
    [Fact]
    public void Jaeger_queries_the_metric_names_and_labels_the_collector_writes()
    {
        var collector = CollectorConfig.Load(Path.Combine(CollectorFolder, OpenTelemetryCollectorExtensions.SamplingConfig));
        var spanMetrics = collector.Component("connectors", "span_metrics");
        var exporter = collector.Component("exporters", "prometheus");
        var reader = (Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)
            CollectorConfig.Load(Path.Combine(JaegerFolder, JaegerExtensions.MonitorConfig)).Component("extensions", "jaeger_storage")["metric_backends"])["metrics_store"])["prometheus"]);

        // The Collector: <namespace>.calls (a monotonic sum) and <namespace>.duration (a histogram in the connector's unit, ms by default).
        var unit = spanMetrics.TryGetValue("histogram", out var histogram) && ((Dictionary<object, object>)histogram).TryGetValue("unit", out var configured) ? (string)configured : "ms";
        Assert.Equal("UnderscoreEscapingWithSuffixes", exporter["translation_strategy"]);
        var written = PrometheusNames((string)spanMetrics["namespace"], unit);

        // Jaeger: metric_namespace + _calls (+ _total with normalize_calls), + _duration (+ _milliseconds or _seconds with normalize_duration).
        var queried = (
            Calls: $"{reader["metric_namespace"]}_calls{((string)reader["normalize_calls"] == "true" ? "_total" : "")}",
            Duration: $"{reader["metric_namespace"]}_duration{((string)reader["normalize_duration"] == "true" ? (string)reader["latency_unit"] == "ms" ? "_milliseconds" : "_seconds" : "")}");

        Assert.Equal(("traces_span_metrics_calls_total", "traces_span_metrics_duration_milliseconds"), queried);
        Assert.Equal(queried, written);

        // The reader filters and groups by these labels; the connector makes them from its default dimensions unless excluded.
        var excluded = spanMetrics.TryGetValue("exclude_dimensions", out var exclude) ? ((List<object>)exclude).Cast<string>() : [];
        Assert.Empty(excluded.Intersect(["service.name", "span.name", "span.kind", "status.code"]));
    }

    /// <summary>UnderscoreEscapingWithSuffixes as the exporter applies it: dots to underscores, the unit's long name, _total for a counter.</summary>
    private static (string Calls, string Duration) PrometheusNames(string @namespace, string unit)
    {
        var prefix = @namespace.Replace('.', '_');
        var units = new Dictionary<string, string> { ["ms"] = "milliseconds", ["s"] = "seconds" };
        return ($"{prefix}_calls_total", $"{prefix}_duration_{units[unit]}");
    }

    /// <summary>prometheus.yml as the Dockerfile writes it into the image: the build argument in place of SCRAPE_TARGETS.</summary>
    private static string RenderedConfig(string scrapeTargets)
    {
        var dockerfile = File.ReadAllText(Path.Combine(PrometheusFolder, "Dockerfile"));
        Assert.Contains("""sed -i "s|\[SCRAPE_TARGETS\]|[${SCRAPE_TARGETS}]|" /etc/prometheus/prometheus.yml""", dockerfile);
        return File.ReadAllText(Path.Combine(PrometheusFolder, "prometheus.yml")).Replace("[SCRAPE_TARGETS]", $"[{scrapeTargets}]", StringComparison.Ordinal);
    }

    private static List<string> ScrapeTargets(string config)
    {
        var root = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(config);
        var job = Assert.Single((List<object>)root["scrape_configs"]);
        var staticConfig = Assert.Single((List<object>)((Dictionary<object, object>)job)["static_configs"]);
        return [.. ((List<object>)((Dictionary<object, object>)staticConfig)["targets"]).Cast<string>()];
    }
}
