using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Telemetry;

namespace OrdersTracing.Tests.AppModel;

public sealed partial class TelemetryPipelineTests
{
    [Fact]
    public async Task The_collector_samples_with_the_apphost_parameters_by_default()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("collector");

        Assert.Equal("1000", environment["TAIL_SAMPLING_LATENCY_THRESHOLD_MS"]);
        Assert.Equal("10", environment["TAIL_SAMPLING_PERCENTAGE"]);
        Assert.Equal(TelemetryPipelineParameters.DefaultDecisionWait, environment["TAIL_SAMPLING_DECISION_WAIT"]);
        Assert.Equal("development", environment["DEPLOYMENT_ENVIRONMENT"]);
    }

    [Fact]
    public async Task A_parameter_set_at_start_up_reaches_the_collector()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers,
            "--Parameters:tail-sampling-percentage=25", "--Parameters:tail-sampling-latency-threshold-ms=300");
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("collector");

        Assert.Equal(("25", "300"), (environment["TAIL_SAMPLING_PERCENTAGE"], environment["TAIL_SAMPLING_LATENCY_THRESHOLD_MS"]));
    }

    [Theory]
    [InlineData("tail-sampling-percentage", "150")]
    [InlineData("tail-sampling-latency-threshold-ms", "fast")]
    [InlineData("collector-replicas", "0")]
    [InlineData("collector-memory-limit-mib", "80%")]
    [InlineData("head-sampling-ratio", "10%")]
    [InlineData("tail-sampling-decision-wait", "10")]
    [InlineData("tail-sampling-decision-wait", "0s")]
    [InlineData("tail-sampling-decision-wait", "ten seconds")]
    public async Task An_impossible_pipeline_parameter_stops_the_apphost_with_a_message_naming_it(string parameter, string value)
    {
        var creating = UnstartedAppHost.CreateBuilderAsync("Containers", TestContext.Current.CancellationToken, $"--Parameters:{parameter}={value}");

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => creating);

        Assert.Contains($"Parameters:{parameter}", error.Message);
        Assert.Contains(value, error.Message);
    }

    [Fact]
    public async Task Every_service_labels_its_telemetry_with_the_deployment_environment_parameter()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--Parameters:deployment-environment=staging");
        await host.PrepareForStartAsync();

        foreach (var service in new[] { "api", "web", "payments" })
        {
            var environment = await host.EnvironmentOfAsync(service);
            Assert.Equal("staging", environment["Tracing__DeploymentEnvironment"]);
        }

        Assert.Equal("staging", (await host.EnvironmentOfAsync("collector"))["DEPLOYMENT_ENVIRONMENT"]);
    }

    [Theory]
    [InlineData(InfrastructureMode.Containers)]
    [InlineData(InfrastructureMode.Local)]
    public async Task Services_sample_parent_based_and_keep_every_new_trace_by_default(InfrastructureMode mode)
    {
        await using var host = await UnstartedAppHost.BuildAsync(mode);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("api");

        Assert.Equal(("parentbased_traceidratio", "1"), (environment["OTEL_TRACES_SAMPLER"], environment["OTEL_TRACES_SAMPLER_ARG"]));
    }

    [Fact]
    public async Task The_head_sampling_ratio_parameter_switches_every_service_to_head_sampling()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--Parameters:head-sampling-ratio=0.1");
        await host.PrepareForStartAsync();

        foreach (var service in new[] { "api", "web", "payments" })
        {
            var environment = await host.EnvironmentOfAsync(service);
            Assert.Equal(("parentbased_traceidratio", "0.1"), (environment["OTEL_TRACES_SAMPLER"], environment["OTEL_TRACES_SAMPLER_ARG"]));
        }
    }

    [Fact]
    public async Task The_collector_listens_on_the_ports_its_config_and_the_apphost_agree_on()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();
        var config = await File.ReadAllTextAsync(
            Path.Combine(CollectorConfig.FolderOf(Path.Combine("Telemetry", "OpenTelemetryCollector")), OpenTelemetryCollectorExtensions.SamplingConfig), TestContext.Current.CancellationToken);

        var environment = await host.EnvironmentOfAsync("collector");
        var endpoints = host.Resource("collector").Annotations.OfType<EndpointAnnotation>().ToDictionary(endpoint => endpoint.Name);

        foreach (var (variable, endpointName) in new[]
        {
            ("COLLECTOR_OTLP_GRPC_ENDPOINT", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName),
            ("COLLECTOR_OTLP_HTTP_ENDPOINT", OpenTelemetryCollectorExtensions.OtlpHttpEndpointName),
            ("COLLECTOR_HEALTH_ENDPOINT", OpenTelemetryCollectorExtensions.HealthEndpointName),
            ("COLLECTOR_PROMETHEUS_ENDPOINT", OpenTelemetryCollectorExtensions.PrometheusEndpointName),
        })
        {
            Assert.Contains($"${{env:{variable}}}", config);
            Assert.Equal($"0.0.0.0:{endpoints[endpointName].TargetPort}", environment[variable]);
        }

        Assert.Contains("${env:COLLECTOR_TELEMETRY_PORT}", config);
        Assert.Equal($"{endpoints[OpenTelemetryCollectorExtensions.TelemetryEndpointName].TargetPort}", environment["COLLECTOR_TELEMETRY_PORT"]);
    }

    [Fact]
    public async Task Every_variable_the_collector_config_reads_is_given_by_the_apphost()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();
        var config = await File.ReadAllTextAsync(
            Path.Combine(CollectorConfig.FolderOf(Path.Combine("Telemetry", "OpenTelemetryCollector")), OpenTelemetryCollectorExtensions.SamplingConfig), TestContext.Current.CancellationToken);

        var environment = await host.EnvironmentOfAsync("collector");

        var read = EnvironmentPlaceholder().Matches(config).Select(match => match.Groups[1].Value).Distinct();
        Assert.All(read, variable => Assert.True(environment.ContainsKey(variable), $"the AppHost does not set {variable}"));
    }

    [Fact]
    public async Task The_collector_forwards_what_it_keeps_to_jaeger_and_the_dashboard()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("collector");

        Assert.Equal("http://jaeger:4317", environment["JAEGER_OTLP_ENDPOINT"]);
        Assert.EndsWith(":19999", environment["ASPIRE_ENDPOINT"]);
        Assert.Equal("true", environment["ASPIRE_INSECURE"]);
    }

    [Theory]
    [InlineData("http://localhost:19999", "https://localhost:17000", "true")]
    [InlineData("https://localhost:19999", "http://localhost:17000", "false")]
    public async Task The_collector_uses_tls_to_the_dashboard_as_its_otlp_endpoint_scheme_says(string otlpEndpoint, string browserUrl, string insecure)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers,
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={otlpEndpoint}", $"--ASPNETCORE_URLS={browserUrl}");
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("collector");

        Assert.Equal(insecure, environment["ASPIRE_INSECURE"]);
    }

    [Fact]
    public async Task Without_a_dashboard_to_send_to_the_collector_fails_to_start_with_a_message_saying_what_to_set()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=");
        await host.PrepareForStartAsync();

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => host.EnvironmentOfAsync("collector"));

        Assert.Contains("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL", error.Message);
    }

    [Theory]
    [InlineData("collector")]
    [InlineData("collector-sampling-1")]
    public async Task Every_collector_holds_its_memory_under_the_fixed_limit_the_apphost_sets(string collector)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers,
            "--Parameters:collector-replicas=2", "--Parameters:collector-memory-limit-mib=768");
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync(collector);

        Assert.Equal("768", environment["COLLECTOR_MEMORY_LIMIT_MIB"]);
    }

    [Fact]
    public async Task The_collector_starts_after_jaeger_is_healthy()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);

        var waits = host.Resource("collector").Annotations.OfType<WaitAnnotation>();

        Assert.Contains(waits, wait => wait.Resource.Name == "jaeger" && wait.WaitType == WaitType.WaitUntilHealthy);
    }

    [Fact]
    public async Task Datadog_is_off_without_its_api_key()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var arguments = await host.ArgumentsOfAsync("collector");
        var environment = await host.EnvironmentOfAsync("collector");

        Assert.DoesNotContain(arguments, argument => argument.Contains(OpenTelemetryCollectorExtensions.DatadogConfig, StringComparison.Ordinal));
        Assert.False(environment.ContainsKey("DATADOG_API_KEY"));
        Assert.DoesNotContain(host.Model.Resources, resource => resource.Name == TelemetryPipelineParameters.DatadogApiKeyName);
    }

    [Fact]
    public async Task Datadog_is_on_with_its_api_key_as_a_secret_parameter()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--Parameters:datadog-api-key=dd-test-key");
        await host.PrepareForStartAsync();

        var arguments = await host.ArgumentsOfAsync("collector");
        var environment = await host.EnvironmentOfAsync("collector");

        Assert.Contains(arguments, argument => argument.EndsWith($"/{OpenTelemetryCollectorExtensions.DatadogConfig}", StringComparison.Ordinal));
        Assert.Equal("dd-test-key", environment["DATADOG_API_KEY"]);
        Assert.True(Assert.IsType<ParameterResource>(host.Resource(TelemetryPipelineParameters.DatadogApiKeyName)).Secret);
    }

    [Fact]
    public async Task Scaled_out_a_load_balancing_tier_routes_traces_to_every_sampling_collector()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--Parameters:collector-replicas=3");
        await host.PrepareForStartAsync();

        var gatewayArguments = await host.ArgumentsOfAsync("collector");
        var gateway = await host.EnvironmentOfAsync("collector");
        var api = await host.EnvironmentOfAsync("api");

        Assert.Equal([$"--config=/etc/otelcol-contrib/{OpenTelemetryCollectorExtensions.LoadBalancerConfig}"], gatewayArguments);
        // Containers reach each other by name on the container network; services on the host through the published ports.
        Assert.Equal("[\"collector-sampling-1:4317\", \"collector-sampling-2:4317\", \"collector-sampling-3:4317\"]", gateway["COLLECTOR_SAMPLING_TIER"]);
        Assert.Equal(host.Endpoint("collector", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName).Url, api["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"]);
        Assert.Equal(host.Endpoint("collector-sampling-1", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName).Url, api["OTEL_EXPORTER_OTLP_ENDPOINT"]);
    }

    [GeneratedRegex(@"\$\{env:([A-Z0-9_]+)\}")]
    private static partial Regex EnvironmentPlaceholder();
}
