using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A page of orders with their items and their background payment's attempts, for support: the repeating-sequences
/// (MN+1) scenario. Loaded order by order it is two different queries per order, again and again; loaded for the page,
/// the orders with their items in one query and the page's outbox rows in another.
/// </summary>
public sealed class OrderPaymentAttempts(OrdersDbContext db)
{
    public async Task<PaymentAttemptPage> ListAsync(
        CallerIdentity caller, int page, int pageSize, RelatedLoading loading, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ListPaymentAttempts, caller);
        activity?.SetTag(OrdersTelemetry.Tags.RelatedLoading, loading.ToString());

        var newestFirst = db.Orders.NewestFirst(caller.TenantId, page, pageSize);
        List<Order> orders;
        Dictionary<Guid, PaymentRequest> payments;
        if (loading == RelatedLoading.PerPage)
        {
            orders = await newestFirst.AsNoTracking().Include(order => order.Items).ToListAsync(cancellationToken);
            var ids = orders.Take(pageSize).Select(order => order.Id).ToList();
            payments = await db.PaymentRequests.AsNoTracking()
                .Where(payment => ids.Contains(payment.OrderId))
                .ToDictionaryAsync(payment => payment.OrderId, cancellationToken);
        }
        else
        {
            orders = await newestFirst.ToListAsync(cancellationToken);
            payments = [];
            foreach (var order in orders.Take(pageSize))
            {
                await db.Entry(order).Collection(order => order.Items).LoadAsync(cancellationToken);
                if (await db.PaymentRequests.AsNoTracking().FirstOrDefaultAsync(payment => payment.OrderId == order.Id, cancellationToken) is { } payment)
                {
                    payments[order.Id] = payment;
                }
            }
        }

        var rows = orders.Take(pageSize)
            .Select(order => payments.GetValueOrDefault(order.Id) is { } payment
                ? new OrderPaymentAttempt(OrderResponse.From(order), payment.Attempts, payment.ProcessedAt, payment.LastError)
                : new OrderPaymentAttempt(OrderResponse.From(order), 0, null, null))
            .ToList();
        return new PaymentAttemptPage(page, pageSize, orders.Count > pageSize, rows);
    }
}

/// <param name="Attempts">How often the background worker tried to charge; 0 for an order charged in the request.</param>
public sealed record OrderPaymentAttempt(OrderResponse Order, int Attempts, DateTimeOffset? ProcessedAt, string? LastError);

public sealed record PaymentAttemptPage(int Page, int PageSize, bool HasMore, IReadOnlyList<OrderPaymentAttempt> Orders);
