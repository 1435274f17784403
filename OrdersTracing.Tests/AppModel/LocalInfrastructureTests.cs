using System.Data.Common;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using OrdersTracing.AppHost.Infrastructure;
using OrdersTracing.AppHost.Postgres;

namespace OrdersTracing.Tests.AppModel;

public sealed class LocalInfrastructureTests
{
    [Fact]
    public async Task Local_mode_runs_postgres_as_a_local_process()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);

        var postgres = host.Resource("postgres");

        Assert.IsType<LocalPostgresResource>(postgres);
        Assert.DoesNotContain(postgres.Annotations, annotation => annotation is ContainerImageAnnotation);
    }

    [Fact]
    public async Task Local_mode_gives_the_api_a_connection_string_to_the_orders_database_on_the_allocated_port()
    {
        await using var host = await UnstartedAppHost.BuildAsync(InfrastructureMode.Local);
        await host.PrepareForStartAsync();

        var environment = await host.EnvironmentOfAsync("api");

        var connectionString = new DbConnectionStringBuilder { ConnectionString = environment[$"ConnectionStrings__{OrdersDatabaseResourceExtensions.ConnectionName}"] };
        var port = host.Endpoint("postgres", LocalPostgresResource.PrimaryEndpointName).Port;
        Assert.Equal(
            ("localhost", port.ToString(CultureInfo.InvariantCulture), OrdersDatabaseResourceExtensions.ConnectionName, UnstartedAppHost.PostgresPassword),
            (connectionString["Host"], connectionString["Port"], connectionString["Database"], connectionString["Password"]));
    }
}
