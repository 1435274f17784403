using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Telemetry;

namespace OrdersTracing.Tests.AppModel;

/// <summary>Where Jaeger keeps traces: Badger on a named volume by default, or a cluster the deployment names.</summary>
public sealed class TraceStoreTests
{
    [Fact]
    public async Task Container_mode_keeps_traces_in_badger_on_a_named_volume_for_three_days_by_default()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers);
        await host.PrepareForStartAsync();

        var mount = Assert.Single(host.Resource("jaeger").Annotations.OfType<ContainerMountAnnotation>());
        var arguments = await host.ArgumentsOfAsync("jaeger");
        var environment = await host.EnvironmentOfAsync("jaeger");

        Assert.Equal(ContainerMountType.Volume, mount.Type);
        Assert.False(string.IsNullOrEmpty(mount.Source), "an anonymous volume is a new one at every start");
        Assert.False(mount.IsReadOnly);
        Assert.Equal(JaegerExtensions.BadgerContainerDirectory, mount.Target);
        Assert.Equal(JaegerExtensions.BadgerContainerDirectory, environment["JAEGER_BADGER_DIRECTORY"]);
        Assert.Equal("72h", environment["JAEGER_TRACE_RETENTION"]);
        Assert.Equal(
            ["--config", "/etc/jaeger/config.yaml", "--config", "/etc/jaeger/badger.yaml", "--config", "/etc/jaeger/monitor.yaml"],
            arguments);
    }

    [Fact]
    public async Task The_trace_retention_parameter_reaches_badger()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers, "--Parameters:trace-retention=720h");
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("jaeger");

        Assert.Equal("720h", environment["JAEGER_TRACE_RETENTION"]);
    }

    [Theory]
    [InlineData("trace-retention", "72")]
    [InlineData("trace-retention", "3d")]
    [InlineData("trace-retention", "0h")]
    [InlineData("trace-store", "cassandra")]
    public async Task An_impossible_trace_store_setting_stops_the_apphost_with_a_message_naming_it(string parameter, string value)
    {
        var creating = UnstartedAppHost.CreateBuilderAsync("Containers", TestContext.Current.CancellationToken, $"--Parameters:{parameter}={value}");

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => creating);

        Assert.Contains($"Parameters:{parameter} is '{value}'", error.Message);
    }

    [Fact]
    public async Task A_wrong_retention_is_refused_with_the_units_it_takes()
    {
        var creating = UnstartedAppHost.CreateBuilderAsync("Containers", TestContext.Current.CancellationToken, "--Parameters:trace-retention=3d");

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => creating);

        Assert.Equal("Parameters:trace-retention is '3d'; it must be a positive duration with a unit (h, m, s, ms, us or ns), such as 72h or 720h.", error.Message);
    }

    [Theory]
    [InlineData("elasticsearch", "elasticsearch.yaml")]
    [InlineData("opensearch", "opensearch.yaml")]
    public async Task A_clustered_store_is_the_jaeger_overlay_of_its_name_pointed_at_the_cluster(string store, string overlay)
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Containers,
            $"--Parameters:trace-store={store}", "--Parameters:elasticsearch-urls=http://search-1:9200, http://search-2:9200");
        await host.PrepareForStartAsync();

        var arguments = await host.ArgumentsOfAsync("jaeger");
        var environment = await host.EnvironmentOfAsync("jaeger");

        Assert.Equal(
            ["--config", "/etc/jaeger/config.yaml", "--config", $"/etc/jaeger/{overlay}", "--config", "/etc/jaeger/monitor.yaml"],
            arguments);
        Assert.Equal("http://search-1:9200,http://search-2:9200", environment["ELASTICSEARCH_URLS"]);
        Assert.DoesNotContain("JAEGER_TRACE_RETENTION", environment.Keys);
        Assert.Empty(host.Resource("jaeger").Annotations.OfType<ContainerMountAnnotation>());
    }

    [Theory]
    [InlineData("", "needs Parameters:elasticsearch-urls")]
    [InlineData("--Parameters:elasticsearch-urls=search:9200", "Parameters:elasticsearch-urls is 'search:9200'; it must be one or more http(s) URLs")]
    public async Task A_clustered_store_without_a_usable_address_stops_the_apphost(string urls, string expected)
    {
        string[] arguments = urls.Length == 0 ? ["--Parameters:trace-store=elasticsearch"] : ["--Parameters:trace-store=elasticsearch", urls];
        var creating = UnstartedAppHost.CreateBuilderAsync("Containers", TestContext.Current.CancellationToken, arguments);

        var error = await Assert.ThrowsAsync<DistributedApplicationException>(() => creating);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task Local_mode_keeps_badger_in_a_folder_of_its_own_run_and_leaves_the_monitor_out()
    {
        using var programs = FakeProgramsOnPath.Create(JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program);
        await using var first = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await using var second = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await first.PrepareForStartAsync();
        await second.PrepareForStartAsync();

        var arguments = await first.ArgumentsOfAsync("jaeger");
        var folders = new[] { (await first.EnvironmentOfAsync("jaeger"))["JAEGER_BADGER_DIRECTORY"], (await second.EnvironmentOfAsync("jaeger"))["JAEGER_BADGER_DIRECTORY"] };

        var jaegerFolder = CollectorConfig.FolderOf(Path.Combine("Telemetry", "Jaeger"));
        Assert.Equal(["--config", Path.Combine(jaegerFolder, "config.yaml"), "--config", Path.Combine(jaegerFolder, "badger.yaml")], arguments);
        Assert.All(folders, folder => Assert.StartsWith(Path.GetTempPath(), folder));
        Assert.NotEqual(folders[0], folders[1]);
        Assert.DoesNotContain(first.Model.Resources, resource => resource.Name == "prometheus");
    }
}
