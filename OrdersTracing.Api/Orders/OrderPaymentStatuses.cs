using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A page of orders beside what the payment provider says of their payments: the N+1 HTTP calls scenario. Asked one
/// order at a time, the page costs one provider round trip per order; asked for the page, one.
/// </summary>
public sealed class OrderPaymentStatuses(OrdersDbContext db, IPaymentProvider provider)
{
    public async Task<PaymentStatusPage> ListAsync(
        CallerIdentity caller, int page, int pageSize, PaymentLookups lookups, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.ListPaymentStatuses, caller);
        activity?.SetTag(OrdersTelemetry.Tags.PaymentLookups, lookups.ToString());

        var rows = await db.Orders.NewestFirst(caller.TenantId, page, pageSize)
            .AsNoTracking()
            .Select(order => new { order.Id, order.PaymentStatus, order.PaymentId })
            .ToListAsync(cancellationToken);
        var orders = rows.Take(pageSize).ToList();
        // An order that was never charged has nothing to ask the provider about.
        var paymentIds = orders.Select(order => order.PaymentId).OfType<string>().ToList();

        var lookup = await LookUpAsync(paymentIds, lookups, cancellationToken);
        var statuses = orders
            .Select(order => new OrderPaymentStatus(
                order.Id,
                order.PaymentStatus,
                order.PaymentId,
                order.PaymentId is { } id && lookup.Statuses.TryGetValue(id, out var status) ? status : null))
            .ToList();

        return new PaymentStatusPage(page, pageSize, rows.Count > pageSize, statuses, lookup.Error);
    }

    private async Task<PaymentLookup> LookUpAsync(IReadOnlyList<string> paymentIds, PaymentLookups lookups, CancellationToken cancellationToken)
    {
        if (paymentIds.Count == 0)
        {
            return PaymentLookup.Found(new Dictionary<string, string>());
        }

        if (lookups == PaymentLookups.Batched)
        {
            return await provider.LookUpAsync(paymentIds, cancellationToken);
        }

        var statuses = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var paymentId in paymentIds)
        {
            var one = await provider.LookUpAsync(paymentId, cancellationToken);
            if (!one.Succeeded)
            {
                return one;
            }

            foreach (var (id, status) in one.Statuses)
            {
                statuses[id] = status;
            }
        }

        return PaymentLookup.Found(statuses);
    }
}

/// <param name="ProviderStatus">What the provider says (<c>succeeded</c>); <see langword="null"/> when there is no payment to ask about.</param>
public sealed record OrderPaymentStatus(Guid OrderId, PaymentStatus PaymentStatus, string? PaymentId, string? ProviderStatus);

/// <param name="Error">Set when the provider could not be asked: the page then has no provider statuses.</param>
public sealed record PaymentStatusPage(int Page, int PageSize, bool HasMore, IReadOnlyList<OrderPaymentStatus> Orders, string? Error);
