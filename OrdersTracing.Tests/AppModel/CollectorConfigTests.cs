using OrdersTracing.AppHost.Telemetry;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.AppModel;

public sealed class CollectorConfigTests
{
    private static readonly string Folder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "OpenTelemetryCollector"));

    private static CollectorConfig Sampling() => CollectorConfig.Load(Path.Combine(Folder, OpenTelemetryCollectorExtensions.SamplingConfig));

    public static TheoryData<string[]> ShippedConfigurations => new()
    {
        { [OpenTelemetryCollectorExtensions.SamplingConfig] },
        { [OpenTelemetryCollectorExtensions.SamplingConfig, OpenTelemetryCollectorExtensions.DatadogConfig] },
        { [OpenTelemetryCollectorExtensions.LoadBalancerConfig] },
    };

    [Theory]
    [MemberData(nameof(ShippedConfigurations))]
    public void A_shipped_configuration_is_one_the_collector_accepts(string[] files)
    {
        var config = CollectorConfig.Load([.. files.Select(file => Path.Combine(Folder, file))]);

        var errors = config.Validate();

        Assert.Empty(errors);
    }

    [Fact]
    public void An_undefined_exporter_in_a_pipeline_is_refused()
    {
        var config = Sampling();
        var pipeline = (Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)config.Root["service"])["pipelines"])["traces/sampled"];
        ((List<object>)pipeline["exporters"]).Add("otlp_grpc/nowhere");

        var errors = config.Validate();

        Assert.Contains("pipeline 'traces/sampled' exports to 'otlp_grpc/nowhere', which is not defined.", errors);
    }

    [Fact]
    public void A_defined_but_unused_component_is_refused()
    {
        var config = Sampling();
        ((Dictionary<object, object>)config.Root["processors"])["probabilistic_sampler"] = new Dictionary<object, object>();

        var errors = config.Validate();

        Assert.Contains("processor 'probabilistic_sampler' is defined but not used.", errors);
    }

    [Fact]
    public void The_removed_jaeger_exporter_is_refused()
    {
        var config = Sampling();
        ((Dictionary<object, object>)config.Root["exporters"])["jaeger"] = new Dictionary<object, object>();

        var errors = config.Validate();

        Assert.Contains("exporters: 'jaeger' is a component type the Collector has removed.", errors);
    }

    [Fact]
    public void The_jaeger_receiver_that_contrib_still_ships_is_accepted()
    {
        var config = Sampling();
        ((Dictionary<object, object>)config.Root["receivers"])["jaeger"] = new Dictionary<object, object>();
        var traces = (Dictionary<object, object>)((Dictionary<object, object>)((Dictionary<object, object>)config.Root["service"])["pipelines"])["traces"];
        ((List<object>)traces["receivers"]).Add("jaeger");

        var errors = config.Validate();

        Assert.Empty(errors);
    }

    [Theory]
    [MemberData(nameof(ShippedConfigurations))]
    public void Memory_limiter_holds_a_fixed_limit_because_a_percentage_of_an_unlimited_container_limits_nothing(string[] files)
    {
        var config = CollectorConfig.Load([.. files.Select(file => Path.Combine(Folder, file))]);

        var limiter = config.Component("processors", "memory_limiter");

        Assert.Equal("${env:COLLECTOR_MEMORY_LIMIT_MIB}", limiter["limit_mib"]);
        Assert.DoesNotContain("limit_percentage", limiter.Keys);
    }

    [Fact]
    public void Jaeger_does_not_trace_its_own_query_api_into_the_store_it_reads()
    {
        var config = CollectorConfig.Load(Path.Combine(CollectorConfig.FolderOf(Path.Combine("Telemetry", "Jaeger")), "config.yaml"));

        var query = config.Component("extensions", "jaeger_query");

        Assert.Equal("false", query["enable_tracing"]);
    }

    [Fact]
    public void Memory_limiter_comes_first_in_every_pipeline()
    {
        var pipelines = Sampling().Pipelines;

        Assert.All(pipelines, pipeline => Assert.Equal("memory_limiter", pipeline.Value.Processors.FirstOrDefault()));
    }

    [Fact]
    public void Traces_are_tail_sampled_before_they_are_batched_and_exported()
    {
        var pipelines = Sampling().Pipelines;

        var sampled = Assert.Single(pipelines.Values, pipeline => pipeline.Processors.Contains("tail_sampling"));
        Assert.True(
            sampled.Processors.ToList().IndexOf("tail_sampling") < sampled.Processors.ToList().IndexOf("batch"),
            $"batch must come after tail_sampling: {string.Join(", ", sampled.Processors)}");
        Assert.Contains("otlp_grpc/jaeger", sampled.Exporters);
        Assert.Contains("otlp_grpc/aspire", sampled.Exporters);
    }

    [Fact]
    public void Span_metrics_and_the_service_graph_see_every_span_before_sampling()
    {
        var pipelines = Sampling().Pipelines;

        var unsampled = Assert.Single(pipelines.Values, pipeline => pipeline.Receivers.Contains("otlp") && pipeline.Exporters.Contains("span_metrics"));
        Assert.DoesNotContain("tail_sampling", unsampled.Processors);
        Assert.Contains("service_graph", unsampled.Exporters);
        Assert.Contains(pipelines.Values, pipeline => pipeline.Receivers.Contains("span_metrics") && pipeline.Exporters.Contains("prometheus"));
    }

    [Fact]
    public void Tail_sampling_keeps_errors_slow_traces_and_a_share_of_the_rest_as_the_apphost_sets_them()
    {
        var policies = ((List<object>)Sampling().Component("processors", "tail_sampling")["policies"])
            .Cast<Dictionary<object, object>>()
            .ToDictionary(policy => (string)policy["type"]);

        Assert.Equal(["ERROR"], ((List<object>)((Dictionary<object, object>)policies["status_code"]["status_code"])["status_codes"]).Cast<string>());
        Assert.Equal("${env:TAIL_SAMPLING_LATENCY_THRESHOLD_MS}", ((Dictionary<object, object>)policies["latency"]["latency"])["threshold_ms"]);
        Assert.Equal("${env:TAIL_SAMPLING_PERCENTAGE}", ((Dictionary<object, object>)policies["probabilistic"]["probabilistic"])["sampling_percentage"]);
    }

    [Fact]
    public void Tail_sampling_keeps_every_trace_in_which_a_live_detector_marked_the_root()
    {
        var policy = ((List<object>)Sampling().Component("processors", "tail_sampling")["policies"])
            .Cast<Dictionary<object, object>>()
            .Single(policy => (string)policy["type"] == "boolean_attribute");

        var filter = (Dictionary<object, object>)policy["boolean_attribute"];
        Assert.Equal((FindingEvents.Detected, "true"), ((string)filter["key"], (string)filter["value"]));
        Assert.False(filter.ContainsKey("invert_match"));
    }

    [Fact]
    public void The_batch_processor_sends_every_ten_seconds_or_1024_spans()
    {
        var batch = Sampling().Component("processors", "batch");

        Assert.Equal(("10s", "1024"), ((string)batch["timeout"], (string)batch["send_batch_size"]));
    }
}
