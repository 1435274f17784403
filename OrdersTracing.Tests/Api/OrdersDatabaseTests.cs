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
}
