using System.Text.RegularExpressions;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Telemetry;

namespace OrdersTracing.Tests.AppModel;

/// <summary>The shipped configs, expanded with the environment the AppHost gives, checked against the components' own keys and types.</summary>
public sealed partial class ComponentSchemaTests
{
    private static readonly string CollectorFolder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "OpenTelemetryCollector"));
    private static readonly string JaegerConfig = Path.Combine(CollectorConfig.FolderOf(Path.Combine("Telemetry", "Jaeger")), "config.yaml");

    public static TheoryData<InfrastructureMode, string, string[], string[]> ShippedConfigurations => new()
    {
        { InfrastructureMode.Containers, "collector", [OpenTelemetryCollectorExtensions.SamplingConfig], [] },
        { InfrastructureMode.Local, "collector", [OpenTelemetryCollectorExtensions.SamplingConfig], [] },
        { InfrastructureMode.Containers, "collector", [OpenTelemetryCollectorExtensions.SamplingConfig, OpenTelemetryCollectorExtensions.DatadogConfig], ["--Parameters:datadog-api-key=dd-test-key"] },
        { InfrastructureMode.Local, "collector", [OpenTelemetryCollectorExtensions.SamplingConfig, OpenTelemetryCollectorExtensions.DatadogConfig], ["--Parameters:datadog-api-key=dd-test-key"] },
        { InfrastructureMode.Containers, "collector", [OpenTelemetryCollectorExtensions.LoadBalancerConfig], ["--Parameters:collector-replicas=2"] },
        { InfrastructureMode.Local, "collector", [OpenTelemetryCollectorExtensions.LoadBalancerConfig], ["--Parameters:collector-replicas=2"] },
        { InfrastructureMode.Containers, "collector-sampling-2", [OpenTelemetryCollectorExtensions.SamplingConfig], ["--Parameters:collector-replicas=2"] },
    };

    [Theory]
    [MemberData(nameof(ShippedConfigurations))]
    public async Task A_shipped_collector_config_decodes_with_the_environment_the_apphost_gives(
        InfrastructureMode mode, string resource, string[] files, string[] arguments)
    {
        var config = CollectorConfig.Load([.. files.Select(file => Path.Combine(CollectorFolder, file))]);
        var environment = await EnvironmentOfAsync(mode, resource, arguments);

        var errors = ComponentSchema.Load().Check(config, environment);

        Assert.Empty(errors);
    }

    public static TheoryData<InfrastructureMode, string[]> JaegerConfigurations => new()
    {
        { InfrastructureMode.Containers, [] },
        { InfrastructureMode.Local, [] },
        { InfrastructureMode.Containers, ["--Parameters:trace-retention=720h"] },
        { InfrastructureMode.Containers, ["--Parameters:trace-store=elasticsearch", "--Parameters:elasticsearch-urls=http://search:9200"] },
        { InfrastructureMode.Local, ["--Parameters:trace-store=elasticsearch", "--Parameters:elasticsearch-urls=http://search:9200"] },
        { InfrastructureMode.Containers, ["--Parameters:trace-store=opensearch", "--Parameters:elasticsearch-urls=http://search-1:9200,http://search-2:9200"] },
    };

    /// <summary>The files Jaeger is started with, read from its own arguments, so that an overlay the AppHost adds is checked too.</summary>
    [Theory]
    [MemberData(nameof(JaegerConfigurations))]
    public async Task Jaegers_configs_decode_with_the_environment_the_apphost_gives(InfrastructureMode mode, string[] arguments)
    {
        using var programs = mode == InfrastructureMode.Local
            ? FakeProgramsOnPath.Create(JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program)
            : null;
        await using var host = await UnstartedAppHost.BuildAsync(mode, arguments);
        await host.PrepareForStartAsync();
        var files = ConfigFiles(await host.ArgumentsOfAsync("jaeger"));
        var config = CollectorConfig.Load([.. files]);
        var environment = await host.EnvironmentOfAsync("jaeger");

        var errors = ComponentSchema.Load().Check(config, environment);

        Assert.Equal(JaegerExtensions.BaseConfig, Path.GetFileName(files[0]));
        Assert.Empty(errors);
        Assert.Empty(JaegerStorageReferences.Check(config));
        var read = files.SelectMany(file => EnvironmentPlaceholder().Matches(File.ReadAllText(file)).Select(match => match.Groups[1].Value)).Distinct();
        Assert.All(read, variable => Assert.True(environment.ContainsKey(variable), $"the AppHost does not set {variable}"));
    }

    [Fact]
    public void A_misspelled_badger_key_is_refused()
    {
        var config = Jaeger(JaegerExtensions.StoreConfig(TraceStore.Badger));
        var badger = Badger(config);
        badger["ttl"] = new Dictionary<object, object> { ["span"] = "72h" };

        var errors = ComponentSchema.Load().Check(config, JaegerEnvironment());

        Assert.Contains("extensions::jaeger_storage::backends::trace_store::badger::ttl::span: unknown key (the Collector decodes with unused keys as errors).", errors);
    }

    [Theory]
    [InlineData("JAEGER_TRACE_RETENTION", "72", "extensions::jaeger_storage::backends::trace_store::badger::ttl::spans: '72' is not a duration with a unit.")]
    [InlineData("PROMETHEUS_ENDPOINT", "", "extensions::jaeger_storage::metric_backends::metrics_store::prometheus::endpoint: required, and empty or missing after ${env:…} expansion.")]
    [InlineData("JAEGER_QUERY_HTTP_ENDPOINT", "[0.0.0.0:16686]", "extensions::jaeger_query::http::endpoint: expected string, got '[0.0.0.0:16686]'.")]
    public void A_wrong_or_missing_jaeger_value_after_expansion_is_refused(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>(JaegerEnvironment()) { [variable] = value };

        var errors = ComponentSchema.Load().Check(Jaeger(JaegerExtensions.StoreConfig(TraceStore.Badger), JaegerExtensions.MonitorConfig), environment);

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void An_empty_cluster_address_is_refused()
    {
        var environment = new Dictionary<string, string>(JaegerEnvironment()) { ["ELASTICSEARCH_URLS"] = "" };

        var errors = ComponentSchema.Load().Check(Jaeger(JaegerExtensions.StoreConfig(TraceStore.Elasticsearch)), environment);

        Assert.Contains("extensions::jaeger_storage::backends::trace_store::elasticsearch::server_urls: required, and empty or missing after ${env:…} expansion.", errors);
    }

    [Fact]
    public void Two_store_overlays_at_once_are_refused_as_jaeger_refuses_a_backend_of_two_types()
    {
        var config = Jaeger(JaegerExtensions.StoreConfig(TraceStore.Badger), JaegerExtensions.StoreConfig(TraceStore.Elasticsearch));

        var errors = ComponentSchema.Load().Check(config, JaegerEnvironment());

        Assert.Contains(errors, error => error.StartsWith("extensions::jaeger_storage::backends::trace_store: needs exactly one of", StringComparison.Ordinal)
            && error.EndsWith("has badger, elasticsearch.", StringComparison.Ordinal));
    }

    [Fact]
    public void The_base_config_alone_is_refused_for_want_of_a_trace_store()
    {
        var config = Jaeger();

        var errors = ComponentSchema.Load().Check(config, JaegerEnvironment());

        Assert.Contains("extensions::jaeger_storage::backends: required, and empty or missing after ${env:…} expansion.", errors);
        Assert.Contains("extensions::jaeger_query::storage::traces: 'trace_store' is not defined in jaeger_storage::backends (none is).", JaegerStorageReferences.Check(config));
    }

    [Theory]
    [InlineData("latency_unit", "milliseconds", "extensions::jaeger_storage::metric_backends::metrics_store::prometheus::latency_unit: 'milliseconds' is not one of ms, s.")]
    [InlineData("normalise_calls", "true", "extensions::jaeger_storage::metric_backends::metrics_store::prometheus::normalise_calls: unknown key (the Collector decodes with unused keys as errors).")]
    [InlineData("normalize_duration", "yes", "extensions::jaeger_storage::metric_backends::metrics_store::prometheus::normalize_duration: 'yes' is not a bool.")]
    public void A_wrong_monitor_setting_is_refused(string key, string value, string expected)
    {
        var config = Jaeger(JaegerExtensions.StoreConfig(TraceStore.Badger), JaegerExtensions.MonitorConfig);
        var prometheus = (Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)
            config.Component("extensions", "jaeger_storage")["metric_backends"])["metrics_store"])["prometheus"];
        prometheus[key] = value;

        var errors = ComponentSchema.Load().Check(config, JaegerEnvironment());

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void A_misspelled_metrics_store_is_refused()
    {
        var config = Jaeger(JaegerExtensions.StoreConfig(TraceStore.Badger), JaegerExtensions.MonitorConfig);
        ((Dictionary<object, object>)config.Component("extensions", "jaeger_query")["storage"])["metrics"] = "metric_store";

        var errors = JaegerStorageReferences.Check(config);

        Assert.Contains("extensions::jaeger_query::storage::metrics: 'metric_store' is not defined in jaeger_storage::metric_backends (metrics_store are).", errors);
    }

    [Fact]
    public void A_misspelled_prometheus_translation_strategy_is_refused()
    {
        var config = Sampling();
        config.Component("exporters", "prometheus")["translation_strategy"] = "UnderscoreEscapingWithSuffix";

        var errors = ComponentSchema.Load().Check(config, SamplingEnvironment());

        Assert.Contains(errors, error => error.StartsWith("exporters::prometheus::translation_strategy: 'UnderscoreEscapingWithSuffix' is not one of", StringComparison.Ordinal));
    }

    [Fact]
    public void A_misspelled_key_is_refused()
    {
        var config = Sampling();
        var tailSampling = config.Component("processors", "tail_sampling");
        tailSampling["decison_wait"] = tailSampling["decision_wait"];
        tailSampling.Remove("decision_wait");

        var errors = ComponentSchema.Load().Check(config, SamplingEnvironment());

        Assert.Contains("processors::tail_sampling::decison_wait: unknown key (the Collector decodes with unused keys as errors).", errors);
    }

    [Fact]
    public void The_removed_telemetry_metrics_address_is_refused()
    {
        var config = Sampling();
        var service = (Dictionary<object, object>)config.Root["service"];
        ((Dictionary<object, object>)((Dictionary<object, object>)service["telemetry"])["metrics"])["address"] = "0.0.0.0:8888";

        var errors = ComponentSchema.Load().Check(config, SamplingEnvironment());

        Assert.Contains("service::telemetry::metrics::address: unknown key (the Collector decodes with unused keys as errors).", errors);
    }

    [Fact]
    public void An_unknown_component_type_is_refused()
    {
        var config = Sampling();
        ((Dictionary<object, object>)config.Root["processors"])["tailsampling/typo"] = new Dictionary<object, object>();

        var errors = ComponentSchema.Load().Check(config, SamplingEnvironment());

        Assert.Contains("processors::tailsampling/typo: unknown component type 'tailsampling'.", errors);
    }

    [Theory]
    [InlineData("TAIL_SAMPLING_DECISION_WAIT", "10", "processors::tail_sampling::decision_wait: '10' is not a duration with a unit.")]
    [InlineData("ASPIRE_INSECURE", "yes", "exporters::otlp_grpc/aspire::tls::insecure: 'yes' is not a bool.")]
    [InlineData("TAIL_SAMPLING_LATENCY_THRESHOLD_MS", "1s", "processors::tail_sampling::policies[1]::latency::threshold_ms: '1s' is not a int.")]
    [InlineData("COLLECTOR_TELEMETRY_PORT", "[8888]", "service::telemetry::metrics::readers[0]::pull::exporter::prometheus::port: expected int, got '[8888]'.")]
    public void A_value_of_the_wrong_type_after_expansion_is_refused(string variable, string value, string expected)
    {
        var environment = new Dictionary<string, string>(SamplingEnvironment()) { [variable] = value };

        var errors = ComponentSchema.Load().Check(Sampling(), environment);

        Assert.Contains(expected, errors);
    }

    [Fact]
    public void A_list_where_a_single_value_belongs_is_refused()
    {
        var config = Sampling();
        config.Component("connectors", "span_metrics")["namespace"] = new List<object> { "traces", "span" };

        var errors = ComponentSchema.Load().Check(config, SamplingEnvironment());

        Assert.Contains("connectors::span_metrics::namespace: expected string, got '[traces, span]'.", errors);
    }

    [Theory]
    [InlineData("JAEGER_OTLP_ENDPOINT", "exporters::otlp_grpc/jaeger::endpoint: required, and empty or missing after ${env:…} expansion.")]
    [InlineData("ASPIRE_ENDPOINT", "exporters::otlp_grpc/aspire::endpoint: required, and empty or missing after ${env:…} expansion.")]
    [InlineData("COLLECTOR_PROMETHEUS_ENDPOINT", "exporters::prometheus::endpoint: required, and empty or missing after ${env:…} expansion.")]
    public void An_empty_required_value_after_expansion_is_refused(string variable, string expected)
    {
        var environment = new Dictionary<string, string>(SamplingEnvironment()) { [variable] = "" };

        var errors = ComponentSchema.Load().Check(Sampling(), environment);

        Assert.Contains(expected, errors);
    }

    private static CollectorConfig Jaeger(params string[] overlays) =>
        CollectorConfig.Load([JaegerConfig, .. overlays.Select(overlay => Path.Combine(Path.GetDirectoryName(JaegerConfig)!, overlay))]);

    private static Dictionary<object, object> Badger(CollectorConfig config) =>
        (Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)
            config.Component("extensions", "jaeger_storage")["backends"])["trace_store"])["badger"];

    /// <summary>Jaeger's <c>--config</c> files as local paths: a container's <c>/etc/jaeger/x.yaml</c> is the same file in Telemetry/Jaeger.</summary>
    private static List<string> ConfigFiles(IReadOnlyList<string> arguments) =>
        [.. arguments.Select((argument, i) => (argument, i))
            .Where(argument => argument.i > 0 && arguments[argument.i - 1] == "--config")
            .Select(argument => Path.Combine(Path.GetDirectoryName(JaegerConfig)!, Path.GetFileName(argument.argument)))];

    /// <summary>A sound environment for Jaeger with Badger and the Monitor tab, as the AppHost gives it in container mode.</summary>
    private static Dictionary<string, string> JaegerEnvironment() => new()
    {
        ["JAEGER_QUERY_HTTP_ENDPOINT"] = "0.0.0.0:16686",
        ["JAEGER_QUERY_GRPC_ENDPOINT"] = "0.0.0.0:16685",
        ["JAEGER_OTLP_GRPC_ENDPOINT"] = "0.0.0.0:4317",
        ["JAEGER_OTLP_HTTP_ENDPOINT"] = "0.0.0.0:4318",
        ["JAEGER_HEALTH_ENDPOINT"] = "0.0.0.0:13133",
        ["JAEGER_BADGER_DIRECTORY"] = "/badger",
        ["JAEGER_TRACE_RETENTION"] = "72h",
        ["ELASTICSEARCH_URLS"] = "http://search:9200",
        ["PROMETHEUS_ENDPOINT"] = "http://prometheus:9090",
    };

    private static CollectorConfig Sampling() => CollectorConfig.Load(Path.Combine(CollectorFolder, OpenTelemetryCollectorExtensions.SamplingConfig));

    /// <summary>A sound environment for config.yaml, as the AppHost gives it in container mode, for tests that break one value.</summary>
    private static Dictionary<string, string> SamplingEnvironment() => new()
    {
        ["COLLECTOR_OTLP_GRPC_ENDPOINT"] = "0.0.0.0:4317",
        ["COLLECTOR_OTLP_HTTP_ENDPOINT"] = "0.0.0.0:4318",
        ["COLLECTOR_HEALTH_ENDPOINT"] = "0.0.0.0:13133",
        ["COLLECTOR_PROMETHEUS_ENDPOINT"] = "0.0.0.0:8889",
        ["COLLECTOR_TELEMETRY_HOST"] = "0.0.0.0",
        ["COLLECTOR_TELEMETRY_PORT"] = "8888",
        ["COLLECTOR_MEMORY_LIMIT_MIB"] = "512",
        ["DEPLOYMENT_ENVIRONMENT"] = "development",
        ["TAIL_SAMPLING_DECISION_WAIT"] = "10s",
        ["TAIL_SAMPLING_LATENCY_THRESHOLD_MS"] = "1000",
        ["TAIL_SAMPLING_PERCENTAGE"] = "10",
        ["JAEGER_OTLP_ENDPOINT"] = "http://jaeger:4317",
        ["ASPIRE_ENDPOINT"] = "http://host.docker.internal:19999",
        ["ASPIRE_API_KEY"] = "",
        ["ASPIRE_INSECURE"] = "true",
    };

    private static async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(InfrastructureMode mode, string resource, string[] arguments)
    {
        using var programs = mode == InfrastructureMode.Local
            ? FakeProgramsOnPath.Create(JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program)
            : null;
        await using var host = await UnstartedAppHost.BuildAsync(mode, arguments);
        await host.PrepareForStartAsync();

        return await host.EnvironmentOfAsync(resource);
    }

    [GeneratedRegex(@"\$\{env:([A-Z0-9_]+)\}")]
    private static partial Regex EnvironmentPlaceholder();
}
