using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A PostgreSQL advisory lock held while the schema is brought up to date. Replicas that start together migrate one
/// after the other, so the second finds the history written and the index there instead of running the same DDL at
/// the same moment (two concurrent <c>CREATE INDEX IF NOT EXISTS</c> can still collide on the catalog). A replica that
/// dies holding it releases it with its connection.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    // Advisory locks are numbers in a namespace of the database; this one means "orders schema" and nothing else.
    private const long Key = 0x4f52444552530001;

    private readonly DatabaseFacade database;

    private MigrationLock(DatabaseFacade database) => this.database = database;

    /// <summary>Waits for the lock on the context's own connection, which stays open (and the lock held) until disposed.</summary>
    public static async Task<MigrationLock> AcquireAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        await database.OpenConnectionAsync(cancellationToken);
        await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({Key})", cancellationToken);
        return new MigrationLock(database);
    }

    public async ValueTask DisposeAsync()
    {
        // Unlocked before the connection goes back to the pool, where a session lock would otherwise outlive us.
        await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({Key})");
        await database.CloseConnectionAsync();
    }
}
