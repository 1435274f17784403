using Microsoft.EntityFrameworkCore;
using Npgsql;
using OrdersTracing.Api.Orders;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// Opens connections of the Api's own pool (through its DbContext, so the very pool its requests use) and holds them
/// until switched off: requests then wait for a connection, which no span shows, until one is returned or Npgsql's
/// connection timeout ends the wait.
/// </summary>
internal sealed class PoolExhaustionFault(IServiceScopeFactory scopes) : IFaultMechanism
{
    private readonly List<AsyncServiceScope> held = [];

    public FaultKind Kind => FaultKind.PoolExhausted;

    public async Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken)
    {
        var count = spec.Amount > 0 ? (int)spec.Amount : await MaxPoolSizeAsync();
        try
        {
            for (var i = 0; i < count; i++)
            {
                var scope = scopes.CreateAsyncScope();
                held.Add(scope);
                await scope.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.OpenConnectionAsync(cancellationToken);
            }
        }
        catch
        {
            // A fault that could not be switched on holds nothing.
            await SwitchOffAsync(CancellationToken.None);
            throw;
        }
    }

    public async Task SwitchOffAsync(CancellationToken cancellationToken)
    {
        foreach (var scope in held)
        {
            await scope.DisposeAsync();
        }

        held.Clear();
    }

    private async Task<int> MaxPoolSizeAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        return new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).MaxPoolSize;
    }
}
