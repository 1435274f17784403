namespace OrdersTracing.AppHost.Infrastructure;

public static class ListenerExtensions
{
    /// <summary>
    /// Declares an endpoint and tells the program where to listen through <paramref name="addressVariable"/>
    /// (<c>host:port</c>), so that one config file serves the container and the local process: in a container the
    /// well-known port on all interfaces, locally a free port on loopback only.
    /// </summary>
    public static IResourceBuilder<T> WithListener<T>(
        this IResourceBuilder<T> builder, InfrastructureChoice infrastructure, string name, int containerPort, string addressVariable, string scheme = "http")
        where T : IResourceWithEndpoints, IResourceWithEnvironment
    {
        if (infrastructure.UsesContainers)
        {
            var allInterfaces = $"0.0.0.0:{containerPort}";
            return builder
                .WithEndpoint(targetPort: containerPort, name: name, scheme: scheme)
                .WithEnvironment(addressVariable, allInterfaces);
        }

        var endpoint = builder.WithEndpoint(name: name, scheme: scheme, isProxied: false).Resource.GetEndpoint(name);
        return builder.WithEnvironment(addressVariable, ReferenceExpression.Create($"127.0.0.1:{endpoint.Property(EndpointProperty.Port)}"));
    }

    /// <summary>The path of <paramref name="program"/> on PATH, or null: local mode runs Jaeger and the Collector only where they are installed.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);
}
