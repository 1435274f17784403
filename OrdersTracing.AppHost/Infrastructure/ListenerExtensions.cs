using System.Globalization;

namespace OrdersTracing.AppHost.Infrastructure;

/// <summary>Where a program listens differs between a container and a local process; these keep that difference in one place.</summary>
public static class ListenerExtensions
{
    /// <summary>
    /// Declares an endpoint and tells the program where to listen through <paramref name="addressVariable"/>
    /// (<c>host:port</c>), so that one config file serves the container and the local process: in a container the
    /// well-known port on all interfaces, locally a free port on loopback only.
    /// </summary>
    public static IResourceBuilder<T> WithListener<T>(
        this IResourceBuilder<T> builder, InfrastructureChoice infrastructure, string name, int containerPort, string addressVariable)
        where T : IResourceWithEndpoints, IResourceWithEnvironment =>
        builder.WithListener(infrastructure, name, containerPort, (host, port) =>
            builder.WithEnvironment(addressVariable, ReferenceExpression.Create($"{host}:{port}")));

    /// <summary>As the other overload, for programs that take the host and the port in two settings.</summary>
    public static IResourceBuilder<T> WithListener<T>(
        this IResourceBuilder<T> builder, InfrastructureChoice infrastructure, string name, int containerPort, string hostVariable, string portVariable)
        where T : IResourceWithEndpoints, IResourceWithEnvironment =>
        builder.WithListener(infrastructure, name, containerPort, (host, port) =>
            builder.WithEnvironment(hostVariable, host).WithEnvironment(portVariable, port));

    /// <summary>The path of <paramref name="program"/> on PATH, or null: local mode runs Jaeger and the Collector only where they are installed.</summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    private static IResourceBuilder<T> WithListener<T>(
        this IResourceBuilder<T> builder, InfrastructureChoice infrastructure, string name, int containerPort, Action<string, ReferenceExpression> listenOn)
        where T : IResourceWithEndpoints, IResourceWithEnvironment
    {
        if (infrastructure.UsesContainers)
        {
            var port = containerPort.ToString(CultureInfo.InvariantCulture);
            builder.WithEndpoint(targetPort: containerPort, name: name, scheme: "http");
            listenOn("0.0.0.0", ReferenceExpression.Create($"{port}"));
            return builder;
        }

        // Not proxied: the AppHost picks a free port and the program listens on it directly.
        var endpoint = builder.WithEndpoint(name: name, scheme: "http", isProxied: false).Resource.GetEndpoint(name);
        listenOn("127.0.0.1", ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Port)}"));
        return builder;
    }
}
