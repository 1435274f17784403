using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A tenant's orders and revenue of one day (UTC): the slow-query scenario. Filtered on the parts of each order's date,
/// the query reads every order of the tenant, since no index holds the expression; filtered on the day's range of
/// <c>created_at</c>, it reads the day's part of the <c>(tenant_id, created_at)</c> index.
/// </summary>
public sealed class OrderReports(OrdersDbContext db)
{
    public async Task<DailyReport> ReportDayAsync(CallerIdentity caller, DateOnly day, DayFilter filter, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ReportDay, caller);
        activity?.SetTag(OrdersTelemetry.Tags.DayFilter, filter.ToString());

        var tenantOrders = db.Orders.AsNoTracking().Where(order => order.TenantId == caller.TenantId);
        var (start, end) = (new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero), new DateTimeOffset(day.AddDays(1), TimeOnly.MinValue, TimeSpan.Zero));
        var ofDay = filter == DayFilter.DateParts
            ? tenantOrders.Where(order => order.CreatedAt.Year == day.Year && order.CreatedAt.Month == day.Month && order.CreatedAt.Day == day.Day)
            : tenantOrders.Where(order => order.CreatedAt >= start && order.CreatedAt < end);

        var totals = await ofDay
            .GroupBy(_ => 1)
            .Select(orders => new { Orders = orders.Count(), Revenue = orders.Sum(order => order.Total) })
            .SingleOrDefaultAsync(cancellationToken);
        return new DailyReport(day, totals?.Orders ?? 0, totals?.Revenue ?? 0m);
    }
}

public sealed record DailyReport(DateOnly Day, int Orders, decimal Revenue);
