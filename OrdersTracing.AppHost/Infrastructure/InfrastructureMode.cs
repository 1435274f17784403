namespace OrdersTracing.AppHost.Infrastructure;

/// <summary>How the AppHost provisions Postgres, Jaeger and the Collector; configuration key <c>Infrastructure:Mode</c>.</summary>
public enum InfrastructureMode
{
    /// <summary>Containers when a container runtime answers, otherwise local processes.</summary>
    Auto,

    /// <summary>Container images with pinned tags: what is published and deployed.</summary>
    Containers,

    /// <summary>Programs installed on this machine, for machines without a container runtime.</summary>
    Local,
}
