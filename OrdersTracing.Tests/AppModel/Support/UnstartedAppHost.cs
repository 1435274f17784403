using System.Globalization;
using System.Runtime.ExceptionServices;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// The OrdersTracing AppHost built but held before it starts: its model can be read, and after
/// <see cref="PrepareForStartAsync"/> its resources' environment can be evaluated, with no container runtime,
/// orchestrator or service process involved.
/// </summary>
internal sealed class UnstartedAppHost : IAsyncDisposable
{
    /// <summary>The dashboard's OTLP endpoint as configuration names it; with no dashboard resource, services are given this.</summary>
    public const string DashboardOtlpEndpoint = "http://localhost:19999";

    // Fixed, so that no test depends on a generated password and none writes one to the AppHost's user secrets.
    public const string PostgresPassword = "app-model-test-password";

    public const string CachePassword = "app-model-test-cache-password";

    private const int FirstFakePort = 41000;

    // Values that reference endpoints wait for them to be allocated; in an app that never starts, that is forever.
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(30);

    private readonly IDistributedApplicationTestingBuilder _builder;
    private readonly DistributedApplication _app;
    private readonly StartBarrier _barrier;
    private readonly CancellationTokenSource _timeout;

    private UnstartedAppHost(IDistributedApplicationTestingBuilder builder, DistributedApplication app, StartBarrier barrier, CancellationTokenSource timeout)
    {
        _builder = builder;
        _app = app;
        _barrier = barrier;
        _timeout = timeout;
    }

    public DistributedApplicationModel Model => _app.Services.GetRequiredService<DistributedApplicationModel>();

    public DistributedApplicationExecutionContext ExecutionContext => _app.Services.GetRequiredService<DistributedApplicationExecutionContext>();

    /// <summary>Runs the AppHost's Program up to <c>Build()</c> with <c>Infrastructure:Mode</c> set to <paramref name="mode"/>.</summary>
    public static Task<IDistributedApplicationTestingBuilder> CreateBuilderAsync(string mode, CancellationToken cancellationToken, params string[] arguments) =>
        DistributedApplicationTestingBuilder.CreateAsync<Projects.OrdersTracing_AppHost>(
            [
                $"--{InfrastructureChoice.ConfigurationKey}={mode}",
                $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL={DashboardOtlpEndpoint}",
                $"--Parameters:postgres-password={PostgresPassword}",
                $"--Parameters:cache-password={CachePassword}",
                "--Parameters:payment-webhook-secret=app-model-test-webhook-secret",
                .. arguments,
            ],
            cancellationToken);

    /// <summary>Builds the AppHost in <paramref name="mode"/>; <paramref name="arguments"/> are further command-line settings.</summary>
    public static async Task<UnstartedAppHost> BuildAsync(InfrastructureMode mode, params string[] arguments)
    {
        var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(StepTimeout);

        var builder = await CreateBuilderAsync(mode.ToString(), timeout.Token, arguments);
        var barrier = new StartBarrier();
        builder.Services.AddSingleton<IDistributedApplicationEventingSubscriber>(barrier);
        var app = await builder.BuildAsync(timeout.Token);
        await barrier.Reached.WaitAsync(timeout.Token);

        return new UnstartedAppHost(builder, app, barrier, timeout);
    }

    public IResource Resource(string name) => Model.Resources.Single(resource => resource.Name == name);

    public EndpointReference Endpoint(string resourceName, string endpointName) =>
        ((IResourceWithEndpoints)Resource(resourceName)).GetEndpoint(endpointName);

    /// <summary>
    /// Does what starting would do for the environment: publishes <see cref="BeforeStartEvent"/>, where the AppHost
    /// reroutes telemetry, and allocates every endpoint a distinct port on localhost and, for containers, its target
    /// port under the container's name on the container network, where other containers reach it.
    /// </summary>
    public async Task PrepareForStartAsync()
    {
        await _app.Services.GetRequiredService<IDistributedApplicationEventing>()
            .PublishAsync(new BeforeStartEvent(_app.Services, Model), _timeout.Token);

        var port = FirstFakePort;
        foreach (var resource in Model.Resources)
        {
            foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
            {
                // Where no target port is declared, the orchestrator would hand the process one; the port itself stands in for it.
                var targetPort = endpoint.TargetPort ?? port;
                endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "localhost", port++, targetPort.ToString(CultureInfo.InvariantCulture));
                if (resource is ContainerResource)
                {
                    var network = KnownNetworkIdentifiers.DefaultAspireContainerNetwork;
                    endpoint.AllAllocatedEndpoints.AddOrUpdateAllocatedEndpoint(
                        network, new AllocatedEndpoint(endpoint, resource.Name, targetPort, EndpointBindingMode.SingleAddress, networkId: network));
                }
            }
        }
    }

    /// <summary>The environment variables the resource would be started with.</summary>
    public async Task<IReadOnlyDictionary<string, string>> EnvironmentOfAsync(string resourceName) =>
        (await ConfigurationOfAsync(resourceName, builder => builder.WithEnvironmentVariablesConfig())).EnvironmentVariables.ToDictionary();

    /// <summary>The command-line arguments the resource would be started with.</summary>
    public async Task<IReadOnlyList<string>> ArgumentsOfAsync(string resourceName) =>
        [.. (await ConfigurationOfAsync(resourceName, builder => builder.WithArgumentsConfig())).Arguments.Select(argument => argument.Item1)];

    /// <summary>
    /// The links the dashboard would show for the resource: one per allocated http(s) endpoint, as Aspire starts the list,
    /// then every URL callback the resource carries, in order.
    /// </summary>
    public async Task<IReadOnlyList<ResourceUrlAnnotation>> UrlsOfAsync(string resourceName)
    {
        var resource = Resource(resourceName);
        var urls = resource.Annotations.OfType<EndpointAnnotation>()
            .Where(endpoint => endpoint.UriScheme is "http" or "https" && endpoint.AllocatedEndpoint is not null)
            .Select(endpoint => new ResourceUrlAnnotation
            {
                Url = endpoint.AllocatedEndpoint!.UriString,
                Endpoint = new EndpointReference((IResourceWithEndpoints)resource, endpoint),
            })
            .ToList();

        var context = new ResourceUrlsCallbackContext(ExecutionContext, resource, urls, _timeout.Token);
        foreach (var callback in resource.Annotations.OfType<ResourceUrlsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return urls;
    }

    private async Task<IExecutionConfigurationResult> ConfigurationOfAsync(
        string resourceName, Func<IExecutionConfigurationBuilder, IExecutionConfigurationBuilder> gather)
    {
        var executionContext = _app.Services.GetRequiredService<DistributedApplicationExecutionContext>();

        var configuration = await gather(ExecutionConfigurationBuilder.Create(Resource(resourceName)))
            .BuildAsync(executionContext, NullLogger.Instance, _timeout.Token);

        if (configuration.Exception is not null)
        {
            ExceptionDispatchInfo.Throw(configuration.Exception);
        }

        return configuration;
    }

    public async ValueTask DisposeAsync()
    {
        _barrier.Release();
        await _app.DisposeAsync();
        await _builder.DisposeAsync();
        _barrier.Dispose();
        _timeout.Dispose();
    }

    /// <summary>
    /// Holds the AppHost where its <c>Run()</c> begins to start, before it publishes <see cref="BeforeStartEvent"/>:
    /// the testing builder lets Program carry on past <c>Build()</c>, and Program calls <c>Run()</c>, which would
    /// otherwise launch the orchestrator, the services and, in local mode, PostgreSQL. Released, it fails the start.
    /// </summary>
    private sealed class StartBarrier : IDistributedApplicationEventingSubscriber, IDisposable
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly CancellationTokenSource _release = new();

        public Task Reached => _reached.Task;

        public async Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext executionContext, CancellationToken cancellationToken)
        {
            _reached.TrySetResult();
            await Task.Delay(Timeout.Infinite, _release.Token);
        }

        public void Release() => _release.Cancel();

        public void Dispose() => _release.Dispose();
    }
}
