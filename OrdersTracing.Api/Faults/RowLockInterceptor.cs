using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using OrdersTracing.Api.Orders;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Api.Faults;

/// <summary>
/// Before the Api saves a change to an order, another transaction takes <c>FOR UPDATE</c> on the order's row and
/// commits only after the fault's amount: the Api's UPDATE then waits on a real row lock in Postgres, as it would
/// behind a long batch job or a forgotten open transaction.
/// </summary>
internal sealed class RowLockInterceptor(FaultSwitch faults, IServiceScopeFactory scopes, ILogger<RowLockInterceptor> logger) : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        var changed = eventData.Context?.ChangeTracker.Entries<Order>()
            .Where(entry => entry.State == EntityState.Modified)
            .Select(entry => entry.Entity.Id)
            .ToArray() ?? [];
        if (changed.Length > 0 && faults.Strikes(FaultKind.RowLock, out var spec))
        {
            await LockAsync(changed, spec.Duration, cancellationToken);
        }

        return result;
    }

    /// <summary>Returns once the rows are locked; the lock is released in the background.</summary>
    private async Task LockAsync(Guid[] orderIds, TimeSpan holdFor, CancellationToken cancellationToken)
    {
        // Another transaction's work, not this request's: its statements stay out of the request's trace.
        Activity.Current = null;
        var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
        var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlAsync($"SELECT id FROM orders WHERE id = ANY({orderIds}) FOR UPDATE", cancellationToken);

        _ = Task.Run(async () =>
        {
            try
            {
                await FaultDelay.WaitAsync(holdFor, CancellationToken.None);
                await transaction.CommitAsync(CancellationToken.None);
            }
            catch (Exception exception)
            {
                logger.LogWarning(exception, "The row lock fault's transaction did not commit; its connection closes and Postgres releases the lock.");
            }
            finally
            {
                await transaction.DisposeAsync();
                await scope.DisposeAsync();
            }
        }, CancellationToken.None);
    }
}
