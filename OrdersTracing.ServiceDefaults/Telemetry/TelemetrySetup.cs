using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Instrumentation.AspNetCore;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using OrdersTracing.ServiceDefaults.Telemetry.ColdStart;
using OrdersTracing.ServiceDefaults.Telemetry.Export;
using OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;
using OrdersTracing.ServiceDefaults.Telemetry.Redaction;
using OrdersTracing.ServiceDefaults.Telemetry.Sampling;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>
/// Tracing, metrics and logs for one service: resource attributes, sampling, instrumentation and OTLP export.
/// </summary>
internal static class TelemetrySetup
{
    // Npgsql 10 ships its own ActivitySource; this is all Npgsql.OpenTelemetry's AddNpgsql() would add.
    public const string NpgsqlActivitySource = "Npgsql";

    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    private const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TracingOptions>()
            .BindConfiguration(TracingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // The standard variables sit at the root of the configuration, in no section.
        builder.Services.AddOptions<HeadSamplingOptions>()
            .BindConfiguration(string.Empty)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HeadSamplingOptions>, HeadSamplingValidation>();
        builder.Services.AddOptions<QueryDetectionOptions>()
            .BindConfiguration(QueryDetectionOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.AlwaysRedactUrlQueries();
        builder.MarkFirstRequestPerRoute();

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var serviceName = builder.Configuration[ServiceNameVariable] is { Length: > 0 } configured
            ? configured
            : builder.Environment.ApplicationName;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddOrdersTracingResource(serviceName))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(QueryDetectionTelemetry.MeterName)
                .AddMeter(SpanExportMonitor.MeterName))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName)
                .AddSource(NpgsqlActivitySource)
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !IsHealthProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddProcessor<DatabaseSystemProcessor>()
                .AddProcessor<UrlRedactionProcessor>()
                .AddQueryDetection());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            // Per signal rather than UseOtlpExporter, which keeps its span exporter to itself: spans go through an
            // exporter that counts what a slow or unreachable backend makes the service drop.
            builder.Services.AddOpenTelemetry()
                .WithLogging(logging => logging.AddOtlpExporter())
                .WithMetrics(metrics => metrics.AddOtlpExporter())
                .WithTracing(tracing => tracing.AddCountedOtlpExporter());
        }

        return builder;
    }

    /// <summary>
    /// <c>service.name</c>, <c>service.version</c>, <c>service.instance.id</c> and <c>deployment.environment</c>;
    /// the standard <c>OTEL_RESOURCE_ATTRIBUTES</c> still wins, as the specification asks.
    /// </summary>
    public static ResourceBuilder AddOrdersTracingResource(this ResourceBuilder resource, string serviceName)
    {
        var serviceVersion = Assembly.GetEntryAssembly()?.GetName().Version?.ToString(3) ?? "0.0.0";

        return resource
            .AddService(serviceName, serviceVersion: serviceVersion, autoGenerateServiceInstanceId: true)
            .AddDetector(services => new DeploymentEnvironmentDetector(
                services.GetRequiredService<IOptions<TracingOptions>>().Value.DeploymentEnvironment))
            .AddEnvironmentVariableDetector();
    }

    /// <summary>
    /// <see cref="TelemetryTags.AppColdStart"/> on the first request of each route; wraps any enrichment a service adds.
    /// Counted over the requests this service traces, which are all of them unless head sampling drops some.
    /// </summary>
    private static void MarkFirstRequestPerRoute(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FirstRequestPerRoute>();
        builder.Services.AddOptions<AspNetCoreTraceInstrumentationOptions>()
            .Configure<FirstRequestPerRoute>((options, firstRequests) =>
            {
                var enrich = options.EnrichWithHttpResponse;
                options.EnrichWithHttpResponse = (activity, response) =>
                {
                    enrich?.Invoke(activity, response);
                    firstRequests.Mark(activity, response.HttpContext);
                };
            });
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments(Extensions.HealthEndpointPath) || path.StartsWithSegments(Extensions.AlivenessEndpointPath);
}
