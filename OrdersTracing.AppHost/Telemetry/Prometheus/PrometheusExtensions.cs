namespace OrdersTracing.AppHost.Telemetry;

/// <summary>Prometheus for Jaeger's Monitor tab, as one resource call: it scrapes the Collectors' span metrics and keeps them.</summary>
public static class PrometheusExtensions
{
    public const string ImageTag = "v3.14.0";
    public const string HttpEndpointName = "http";
    public const int Port = 9090;

    /// <summary>The data folder of the image (its VOLUME, owned by the image's user), on a named volume here.</summary>
    public const string DataDirectory = "/prometheus";

    /// <summary>
    /// Container mode only: an image built from the pinned one with <c>Telemetry/Prometheus/prometheus.yml</c> inside and
    /// the Collectors to scrape written into it (Prometheus reads no environment variables in its config), its series on
    /// a named volume.
    /// </summary>
    public static IResourceBuilder<IResourceWithEndpoints> AddPrometheus(
        this IDistributedApplicationBuilder builder, string name, IReadOnlyList<EndpointReference> spanMetrics)
    {
        var container = builder.AddDockerfile(name, Path.Combine(builder.AppHostDirectory, "Telemetry", "Prometheus"))
            .WithBuildArg("PROMETHEUS_VERSION", ImageTag)
            .WithBuildArg("SCRAPE_TARGETS", ScrapeTargets(spanMetrics));

        return container
            .WithVolume(VolumeNameGenerator.Generate(container, "data"), DataDirectory)
            .WithHttpEndpoint(targetPort: Port, name: HttpEndpointName)
            .WithHttpHealthCheck("/-/ready", endpointName: HttpEndpointName)
            .WithUrlForEndpoint(HttpEndpointName, url => url.DisplayText = "Prometheus");
    }

    /// <summary>
    /// The Collectors as containers reach each other: by resource name and the port the container listens on, as the
    /// YAML flow items of a static target list (<c>"collector:8889"</c>, ...).
    /// </summary>
    public static string ScrapeTargets(IEnumerable<EndpointReference> spanMetrics) =>
        string.Join(", ", spanMetrics.Select(endpoint =>
        {
            var port = endpoint.Resource.Annotations.OfType<EndpointAnnotation>().Single(annotation => annotation.Name == endpoint.EndpointName).TargetPort;
            return $"\"{endpoint.Resource.Name}:{port}\"";
        }));
}
