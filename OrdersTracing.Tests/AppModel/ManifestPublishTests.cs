using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrdersTracing.Tests.AppModel;

/// <summary>The AppHost's manifest, published once with secrets set, the way azd publishes it.</summary>
public sealed class PublishedManifest : IAsyncLifetime
{
    public const string DatadogKey = "dd-manifest-test-secret";
    public const string OtlpKey = "otlp-manifest-test-secret";
    public const string PostgresPassword = "postgres-manifest-test-secret";

    private readonly string outputFolder = Directory.CreateTempSubdirectory("orderstracing-manifest-").FullName;

    public string Text { get; private set; } = "";

    public JsonObject Resources { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        // The build configuration the tests were built with (bin/<configuration>/net10.0), so the AppHost needs no build of its own.
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        var start = new ProcessStartInfo("dotnet",
        [
            "run", "--project", Projects.OrdersTracing_AppHost.ProjectPath, "--no-build", "--configuration", configuration, "--",
            "--publisher", "manifest", "--output-path", outputFolder,
            $"--Parameters:datadog-api-key={DatadogKey}", $"--AppHost:OtlpApiKey={OtlpKey}", $"--Parameters:postgres-password={PostgresPassword}",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        using var publisher = Process.Start(start)!;
        var output = publisher.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = publisher.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        await publisher.WaitForExitAsync(deadline.Token);
        Assert.True(publisher.ExitCode == 0, $"the publisher failed:\n{await output}\n{await errors}");

        Text = await File.ReadAllTextAsync(Path.Combine(outputFolder, "aspire-manifest.json"), TestContext.Current.CancellationToken);
        Resources = JsonNode.Parse(Text)!["resources"]!.AsObject();
    }

    public ValueTask DisposeAsync()
    {
        Directory.Delete(outputFolder, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// What <c>azd deploy</c> works from. It runs where Azure Container Apps run, so it must hold no bind mount (there
/// are none there) and no secret value.
/// </summary>
public sealed class ManifestPublishTests(PublishedManifest manifest) : IClassFixture<PublishedManifest>
{
    private JsonObject Resources => manifest.Resources;

    [Fact]
    public void The_manifest_holds_every_part_of_the_application()
    {
        var types = Resources.ToDictionary(resource => resource.Key, resource => (string)resource.Value!["type"]!);

        Assert.Equal("container.v0", types["postgres"]);
        Assert.Equal("container.v1", types["jaeger"]);
        Assert.Equal("container.v1", types["collector"]);
        Assert.Equal("container.v1", types["prometheus"]);
        Assert.All(["api", "web", "payments"], project => Assert.Equal("project.v0", types[project]));
        Assert.Contains("ordersdb", types.Keys);
    }

    [Theory]
    [InlineData("jaeger", "JAEGER_VERSION")]
    [InlineData("collector", "COLLECTOR_VERSION")]
    [InlineData("prometheus", "PROMETHEUS_VERSION")]
    public void The_tracing_backends_are_built_from_a_dockerfile_with_a_pinned_version(string resource, string versionArgument)
    {
        var build = Resources[resource]!["build"]!;

        Assert.EndsWith("Dockerfile", (string)build["dockerfile"]!);
        Assert.Matches(@"^v?\d+\.\d+\.\d+$", (string)build["args"]![versionArgument]!);
    }

    [Theory]
    [InlineData("jaeger", "/badger")]
    [InlineData("prometheus", "/prometheus")]
    public void The_stores_keep_their_data_on_a_named_volume(string resource, string target)
    {
        var volume = Assert.Single(Resources[resource]!["volumes"]!.AsArray());

        Assert.Equal(target, (string)volume!["target"]!);
        Assert.False(string.IsNullOrEmpty((string?)volume["name"]), "an anonymous volume is a new one at every deployment");
        Assert.False((bool)volume["readOnly"]!);
    }

    [Fact]
    public void Published_jaeger_keeps_traces_in_badger_for_the_retention_parameter_and_reads_prometheus()
    {
        var environment = Resources["jaeger"]!["env"]!;

        Assert.Equal("{trace-retention.value}", (string)environment["JAEGER_TRACE_RETENTION"]!);
        Assert.Equal("72h", (string)Resources["trace-retention"]!["inputs"]!["value"]!["default"]!["value"]!);
        Assert.Equal("{prometheus.bindings.http.url}", (string)environment["PROMETHEUS_ENDPOINT"]!);
        Assert.Equal("\"collector:8889\"", (string)Resources["prometheus"]!["build"]!["args"]!["SCRAPE_TARGETS"]!);
    }

    [Fact]
    public void Postgres_runs_from_its_pinned_image()
    {
        Assert.Equal("docker.io/library/postgres:17.6", (string)Resources["postgres"]!["image"]!);
    }

    [Fact]
    public void Nothing_depends_on_a_bind_mount()
    {
        Assert.DoesNotContain("bindMounts", manifest.Text);
        Assert.All(Resources, resource => Assert.Null(resource.Value!["volumes"]?.AsArray().FirstOrDefault(volume => volume!["source"] is not null)));
    }

    [Fact]
    public void No_secret_value_is_written_into_the_manifest()
    {
        Assert.DoesNotContain(PublishedManifest.DatadogKey, manifest.Text);
        Assert.DoesNotContain(PublishedManifest.OtlpKey, manifest.Text);
        Assert.DoesNotContain(PublishedManifest.PostgresPassword, manifest.Text);
        Assert.True((bool)Resources["datadog-api-key"]!["inputs"]!["value"]!["secret"]!);
        Assert.Equal("{datadog-api-key.value}", (string)Resources["collector"]!["env"]!["DATADOG_API_KEY"]!);
    }

    [Fact]
    public void Published_services_export_to_the_collector_with_their_own_service_name()
    {
        Assert.All(["api", "web", "payments"], service =>
        {
            var environment = Resources[service]!["env"]!;
            Assert.Equal("{collector.bindings.otlp-grpc.url}", (string)environment["OTEL_EXPORTER_OTLP_ENDPOINT"]!);
            Assert.Equal(service, (string)environment["OTEL_SERVICE_NAME"]!);
            Assert.Equal("{deployment-environment.value}", (string)environment["Tracing__DeploymentEnvironment"]!);
        });
    }

    [Fact]
    public void The_published_deployment_environment_defaults_to_production()
    {
        var parameter = Resources["deployment-environment"]!["inputs"]!["value"]!;

        Assert.Equal("production", (string)parameter["default"]!["value"]!);
    }
}
