namespace OrdersTracing.AppHost.Postgres;

/// <summary>
/// A throwaway PostgreSQL server run from the machine's own installation, for machines without a container
/// runtime. Its connection string names the database, as <c>AddPostgres(...).AddDatabase(...)</c> would.
/// </summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password, string databaseName)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";

    public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

    public ParameterResource Password { get; } = password;

    public string DatabaseName { get; } = databaseName;

    /// <summary>The server without naming a database: what the health check logs in to.</summary>
    public ReferenceExpression ServerConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={Password}");

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{ServerConnectionStringExpression};Database={DatabaseName}");
}
