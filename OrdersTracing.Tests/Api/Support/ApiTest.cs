namespace OrdersTracing.Tests.Api.Support;

/// <summary>A test with the Api's services on a database of its own and a provider it can make fail.</summary>
public abstract class ApiTest(LocalPostgres postgres) : IAsyncLifetime
{
    protected LocalPostgres Postgres => postgres;

    protected FakePaymentProvider Provider { get; } = new();

    protected ApiServices Api { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Api = ApiServices.Create(await postgres.CreateDatabaseAsync(), Provider);

    public ValueTask DisposeAsync() => Api.DisposeAsync();
}
