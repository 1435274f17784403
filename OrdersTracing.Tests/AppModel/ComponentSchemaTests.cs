using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Telemetry;

namespace OrdersTracing.Tests.AppModel;

/// <summary>The shipped configs, expanded with the environment the AppHost gives, checked against the components' own keys and types.</summary>
public sealed class ComponentSchemaTests
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

    [Theory]
    [InlineData(InfrastructureMode.Containers)]
    [InlineData(InfrastructureMode.Local)]
    public async Task Jaegers_config_decodes_with_the_environment_the_apphost_gives(InfrastructureMode mode)
    {
        var config = CollectorConfig.Load(JaegerConfig);
        var environment = await EnvironmentOfAsync(mode, "jaeger", []);

        var errors = ComponentSchema.Load().Check(config, environment);

        Assert.Empty(errors);
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
}
