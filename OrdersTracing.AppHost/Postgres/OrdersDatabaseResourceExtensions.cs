using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.AppHost.Postgres;

/// <summary>The orders database as one resource whichever way Postgres runs, so the Api is wired to it the same way.</summary>
public static class OrdersDatabaseResourceExtensions
{
    /// <summary>
    /// The connection name the Api reads (<c>ConnectionStrings:ordersdb</c>), whichever way Postgres runs. The Api
    /// defines it too (<c>OrdersDbContext.ConnectionName</c>): the AppHost knows the Api only as a project to run.
    /// </summary>
    public const string ConnectionName = "ordersdb";

    // Pinned, so that a deployment runs the server the tests ran against.
    public const string PostgresImageTag = "17.6";

    private const string ServerName = "postgres";

    /// <summary>The orders database: a Postgres container, or a local Postgres server when there are no containers.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddOrdersDatabase(
        this IDistributedApplicationBuilder builder, InfrastructureChoice infrastructure)
    {
        if (infrastructure.UsesContainers)
        {
            return builder.AddPostgres(ServerName)
                .WithImageTag(PostgresImageTag)
                .AddDatabase(ConnectionName);
        }

        return builder.AddLocalPostgres(ServerName, ConnectionName);
    }

    /// <summary>
    /// Runs Debian's PostgreSQL server (<c>apt-get install postgresql</c>) on a port the AppHost picks, with a fresh
    /// data folder that the script removes when the server stops.
    /// </summary>
    private static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, string databaseName)
    {
        var password = ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password");
        var script = Path.Combine(builder.AppHostDirectory, "Postgres", "run-local-postgres.sh");
        var postgres = new LocalPostgresResource(name, "bash", builder.AppHostDirectory, password, databaseName);

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddCheck(healthCheckKey, new PostgresServerHealthCheck(postgres));

        return builder.AddResource(postgres)
            .WithArgs(script)
            // Not proxied: the AppHost picks a free port and the server listens on it directly.
            .WithEndpoint(name: LocalPostgresResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("POSTGRES_PASSWORD", password)
            // Created by the script before the server listens, as AddDatabase creates it in a container.
            .WithEnvironment("POSTGRES_DB", databaseName)
            .WithHealthCheck(healthCheckKey);
    }
}
