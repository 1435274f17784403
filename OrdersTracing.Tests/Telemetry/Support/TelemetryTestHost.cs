using System.Collections.ObjectModel;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// A host set up by <c>AddServiceDefaults()</c> as a service is, plus an in-memory exporter and an
/// <see cref="ActivitySource"/> whose name no other test uses, so that a test sees its own spans only.
/// </summary>
internal sealed class TelemetryTestHost : IAsyncDisposable
{
    public const string ApplicationName = "orders-telemetry-tests";

    private static readonly TimeSpan SpanDeadline = TimeSpan.FromSeconds(10);

    private readonly string sourceName = $"OrdersTracing.Tests.Telemetry.{Guid.NewGuid():N}";
    private readonly SpanCollection exported = new();
    private readonly Func<IHost> build;
    private IHost? host;

    private TelemetryTestHost(IHostApplicationBuilder builder, IEnumerable<(string Key, string? Value)> settings, Func<IHost> build)
    {
        // The test process's own environment must neither send spans anywhere nor choose the sampler or the resource.
        var configuration = new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "",
            ["OTEL_TRACES_SAMPLER"] = "",
            ["OTEL_TRACES_SAMPLER_ARG"] = "",
            ["OTEL_SERVICE_NAME"] = "",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddServiceDefaults();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing
            .AddSource(sourceName)
            .AddInMemoryExporter(exported));

        Source = new ActivitySource(sourceName);
        this.build = build;
    }

    public ActivitySource Source { get; }

    /// <summary>The spans <see cref="Source"/> exported, in the order they ended.</summary>
    public IReadOnlyList<Activity> ExportedSpans => [.. exported.Snapshot().Where(span => span.Source.Name == sourceName)];

    public IServiceProvider Services => Started.Services;

    public IReadOnlyDictionary<string, object> ResourceAttributes =>
        Started.Services.GetRequiredService<TracerProvider>().GetResource().Attributes
            .ToDictionary(attribute => attribute.Key, attribute => attribute.Value);

    /// <summary>The address Kestrel bound, once a web host has started.</summary>
    public Uri BaseAddress => new(((WebApplication)Started).Urls.Single());

    /// <summary>
    /// The server spans of requests to this host; every provider listening to ASP.NET Core sees the requests of
    /// every host in the process, hence the port.
    /// </summary>
    public IReadOnlyList<Activity> ServerSpans =>
    [
        .. exported.Snapshot().Where(span =>
            span.Kind == ActivityKind.Server && Equals(span.GetTagItem("server.port"), BaseAddress.Port)),
    ];

    private IHost Started => host ?? throw new InvalidOperationException("Start the host first.");

    /// <summary>A generic host, configured only by <paramref name="settings"/>.</summary>
    public static TelemetryTestHost Create(params (string Key, string? Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            ApplicationName = ApplicationName,
            EnvironmentName = Environments.Production,
        });

        return new TelemetryTestHost(builder, settings, builder.Build);
    }

    /// <summary>
    /// A Kestrel host on a free loopback port with the default endpoints and those <paramref name="mapEndpoints"/> adds;
    /// <paramref name="configure"/> adds what a service's <c>Program.cs</c> adds beyond the defaults.
    /// </summary>
    public static TelemetryTestHost CreateWeb(
        Action<WebApplication> mapEndpoints, Action<WebApplicationBuilder>? configure = null, params (string Key, string? Value)[] settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure?.Invoke(builder);

        return new TelemetryTestHost(builder, settings, () =>
        {
            var app = builder.Build();
            app.MapDefaultEndpoints();
            mapEndpoints(app);
            return app;
        });
    }

    /// <summary>
    /// Builds and starts the host, as a service's <c>Program.cs</c> does. Invalid tracing options already fail the
    /// build: the OpenTelemetry logger provider reads them, through the resource, when the host is built.
    /// </summary>
    public async Task StartAsync()
    {
        var built = build();
        try
        {
            await built.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            // A host that failed to start cannot be stopped, only disposed.
            built.Dispose();
            throw;
        }

        host = built;
    }

    /// <summary>Waits for the server span of a request to <paramref name="path"/>, which ends only after the response is flushed.</summary>
    public async Task<Activity> WaitForServerSpanAsync(string path)
    {
        var deadline = DateTime.UtcNow + SpanDeadline;
        while (true)
        {
            if (ServerSpans.FirstOrDefault(span => Equals(span.GetTagItem("url.path"), path)) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No server span for {path} was exported within {SpanDeadline}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Source.Dispose();
        if (host is null)
        {
            return;
        }

        await host.StopAsync(CancellationToken.None);
        if (host is IAsyncDisposable asyncDisposable)
        {
            await asyncDisposable.DisposeAsync();
        }
        else
        {
            host.Dispose();
        }
    }

    /// <summary>The exporter adds from whichever thread ends a span while the test reads, so both take a lock.</summary>
    private sealed class SpanCollection : Collection<Activity>
    {
        private readonly Lock gate = new();

        public Activity[] Snapshot()
        {
            lock (gate)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (gate)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
