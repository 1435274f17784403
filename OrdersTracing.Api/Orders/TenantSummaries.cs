using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A tenant's figures from independent aggregate queries: the consecutive-queries scenario. Run one after another they
/// cost the sum of their times; run at once, the slowest one's.
/// </summary>
public sealed class TenantSummaries(OrdersDbContext db, IServiceScopeFactory scopes)
{
    public async Task<TenantSummary> SummarizeAsync(CallerIdentity caller, SummaryQueries queries, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.SummarizeTenant, caller);
        activity?.SetTag(OrdersTelemetry.Tags.SummaryQueries, queries.ToString());

        var tenantId = caller.TenantId;
        Task<int> Count(OrdersDbContext context, PaymentStatus? status) => context.Orders
            .CountAsync(order => order.TenantId == tenantId && (status == null || order.PaymentStatus == status), cancellationToken);
        Task<decimal> Revenue(OrdersDbContext context) => context.Orders
            .Where(order => order.TenantId == tenantId && order.PaymentStatus == PaymentStatus.Paid)
            .SumAsync(order => order.Total, cancellationToken);
        Task<int> UnitsSold(OrdersDbContext context) => context.Orders
            .Where(order => order.TenantId == tenantId)
            .SelectMany(order => order.Items)
            .SumAsync(item => item.Quantity, cancellationToken);
        Task<DateTimeOffset?> LastOrderAt(OrdersDbContext context) => context.Orders
            .Where(order => order.TenantId == tenantId)
            .MaxAsync(order => (DateTimeOffset?)order.CreatedAt, cancellationToken);

        if (queries == SummaryQueries.Sequential)
        {
            // Arguments are evaluated left to right: each query starts when the one before it has ended.
            return new TenantSummary(
                await Count(db, null),
                await Count(db, PaymentStatus.Paid),
                await Count(db, PaymentStatus.PaymentFailed),
                await Revenue(db),
                await UnitsSold(db),
                await LastOrderAt(db));
        }

        // A DbContext runs one command at a time: each query gets a scope, and so a context and connection, of its own.
        var orders = InOwnContextAsync(context => Count(context, null));
        var paid = InOwnContextAsync(context => Count(context, PaymentStatus.Paid));
        var failed = InOwnContextAsync(context => Count(context, PaymentStatus.PaymentFailed));
        var revenue = InOwnContextAsync(Revenue);
        var units = InOwnContextAsync(UnitsSold);
        var lastOrderAt = InOwnContextAsync(LastOrderAt);
        await Task.WhenAll(orders, paid, failed, revenue, units, lastOrderAt);

        return new TenantSummary(await orders, await paid, await failed, await revenue, await units, await lastOrderAt);
    }

    private async Task<T> InOwnContextAsync<T>(Func<OrdersDbContext, Task<T>> query)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<OrdersDbContext>());
    }
}

public sealed record TenantSummary(int Orders, int Paid, int PaymentFailed, decimal Revenue, int UnitsSold, DateTimeOffset? LastOrderAt);
