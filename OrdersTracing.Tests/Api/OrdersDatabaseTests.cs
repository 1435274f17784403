using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OrdersTracing.Api.Orders;
using OrdersTracing.Tests.Api.Support;

namespace OrdersTracing.Tests.Api;

[Collection(LocalPostgresCollection.Name)]
public sealed class OrdersDatabaseTests(LocalPostgres postgres) : ApiTest(postgres)
{
    [Fact]
    public async Task The_model_is_the_one_the_latest_migration_built()
    {
        var pending = await Api.InScopeAsync(scope => Task.FromResult(scope.GetRequiredService<OrdersDbContext>().Database.HasPendingModelChanges()));

        Assert.False(pending);
    }

    [Fact]
    public async Task Two_api_processes_starting_at_once_on_a_new_database_both_migrate_it_and_the_schema_is_built_once()
    {
        var database = await Postgres.CreateEmptyDatabaseAsync();
        await using var first = ApiServices.Create(database, Provider);
        await using var second = ApiServices.Create(database, Provider);

        var cancellation = TestContext.Current.CancellationToken;
        await Task.WhenAll(Task.Run(first.MigrateAsync, cancellation), Task.Run(second.MigrateAsync, cancellation));

        var (all, applied) = await first.InScopeAsync(async scope =>
        {
            var db = scope.GetRequiredService<OrdersDbContext>().Database;
            return (db.GetMigrations().ToList(), (await db.GetAppliedMigrationsAsync(TestContext.Current.CancellationToken)).ToList());
        });
        var history = await first.InScopeAsync(scope =>
            scope.GetRequiredService<OrdersDbContext>().Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM \"__EFMigrationsHistory\"").SingleAsync(TestContext.Current.CancellationToken));
        Assert.Equal(all, applied);
        Assert.Equal(all.Count, history);
    }
}
