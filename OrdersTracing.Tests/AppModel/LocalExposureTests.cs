using OrdersTracing.AppHost.Telemetry;
using System.Text.Json;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Identity;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Payments;

namespace OrdersTracing.Tests.AppModel;

/// <summary>In local mode nothing that holds telemetry listens beyond loopback, and the secrets stay secret parameters.</summary>
public sealed class LocalExposureTests
{
    [Fact]
    public async Task The_dashboard_its_otlp_receiver_and_its_resource_service_listen_on_loopback_only()
    {
        var launchSettings = await File.ReadAllTextAsync(
            Path.Combine(CollectorConfig.AppHostDirectory, "Properties", "launchSettings.json"), TestContext.Current.CancellationToken);

        var profile = JsonDocument.Parse(launchSettings).RootElement.GetProperty("profiles").GetProperty("http");
        var environment = profile.GetProperty("environmentVariables");
        var urls = new[]
        {
            profile.GetProperty("applicationUrl").GetString(),
            environment.GetProperty("ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL").GetString(),
            environment.GetProperty("ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL").GetString(),
        };
        Assert.All(urls.SelectMany(url => url!.Split(';')), url => Assert.True(IsLoopback(new Uri(url).Host), url));
    }

    [Fact]
    public async Task The_local_collector_and_jaeger_listen_on_loopback_only()
    {
        using var programs = FakeProgramsOnPath.Create(JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program);
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await host.PrepareForStartAsync();

        foreach (var (resource, prefix) in new[] { ("collector", "COLLECTOR_"), ("jaeger", "JAEGER_") })
        {
            var listeners = (await host.EnvironmentOfAsync(resource))
                .Where(variable => variable.Key.StartsWith(prefix, StringComparison.Ordinal)
                    && (variable.Key.EndsWith("_ENDPOINT", StringComparison.Ordinal) || variable.Key.EndsWith("_HOST", StringComparison.Ordinal)))
                .ToList();

            Assert.True(listeners.Count >= 4, $"{resource} has {listeners.Count} listeners");
            Assert.All(listeners, listener => Assert.True(listener.Value.Split(':')[0] == "127.0.0.1", $"{resource}: {listener.Key}={listener.Value}"));
        }
    }

    [Theory]
    [InlineData(InfrastructureMode.Local, "postgres", "POSTGRES_PASSWORD")]
    [InlineData(InfrastructureMode.Local, "api", $"{PaymentProviderResourceExtensions.ConfigurationSection}__WebhookSecret")]
    [InlineData(InfrastructureMode.Local, "payments", $"{PaymentProviderResourceExtensions.ConfigurationSection}__WebhookSecret")]
    [InlineData(InfrastructureMode.Containers, "api", $"{PaymentProviderResourceExtensions.ConfigurationSection}__WebhookSecret")]
    [InlineData(InfrastructureMode.Local, "api", ServiceTokenResourceExtensions.SigningKeyVariable)]
    [InlineData(InfrastructureMode.Local, "api", ServiceTokenResourceExtensions.PreviousSigningKeyVariable)]
    [InlineData(InfrastructureMode.Local, "web", ServiceTokenResourceExtensions.SigningKeyVariable)]
    public async Task A_secret_reaches_its_process_from_a_secret_parameter(InfrastructureMode mode, string resource, string variable)
    {
        await using var host = await UnstartedAppHost.BuildAsync(mode);
        await host.PrepareForStartAsync();

        var context = new EnvironmentCallbackContext(host.ExecutionContext, host.Resource(resource), cancellationToken: TestContext.Current.CancellationToken);
        foreach (var callback in host.Resource(resource).Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.True(Assert.IsType<ParameterResource>(context.EnvironmentVariables[variable]).Secret, $"{resource}: {variable}");
    }

    private static bool IsLoopback(string host) => host is "localhost" or "127.0.0.1" or "[::1]";
}
