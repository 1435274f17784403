using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

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
        await EnsureDatabaseAsync(database, cancellationToken);
        await database.OpenConnectionAsync(cancellationToken);
        await database.ExecuteSqlAsync($"SELECT pg_advisory_lock({Key})", cancellationToken);
        return new MigrationLock(database);
    }

    /// <summary>
    /// The lock lives in the database, so the database must exist before it is taken. The AppHost's Postgres has it
    /// already (<c>POSTGRES_DB</c>, <c>AddDatabase</c>); a bare server (the benchmark's, a developer's own) gets it here,
    /// where <c>MigrateAsync</c> would otherwise create it. Of two replicas creating it at once one wins; the other is
    /// told it exists and goes on.
    /// </summary>
    private static async Task EnsureDatabaseAsync(DatabaseFacade database, CancellationToken cancellationToken)
    {
        var creator = database.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(cancellationToken))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(cancellationToken);
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            // Created by the other replica between our check and our CREATE DATABASE.
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Unlocked before the connection goes back to the pool, where a session lock would otherwise outlive us.
        await database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({Key})");
        await database.CloseConnectionAsync();
    }
}
