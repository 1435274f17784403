using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// What the payment provider knows of an order's payment (the intent, its charges, its refunds): the consecutive
/// slow HTTP calls scenario. The three calls need only the payment id; one after another the request waits for the sum
/// of three round trips, at once for the longest.
/// </summary>
public sealed class OrderPaymentDetails(OrdersDbContext db, IPaymentProvider provider)
{
    public async Task<PaymentDetails?> GetAsync(CallerIdentity caller, Guid orderId, ProviderCalls calls, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.StartActivity(OrdersTelemetry.Spans.GetPaymentDetails, caller);
        activity?.SetTag(OrdersTelemetry.Tags.ProviderCalls, calls.ToString());

        var order = await db.Orders.AsNoTracking()
            .Where(order => order.Id == orderId && order.TenantId == caller.TenantId)
            .Select(order => new { order.Id, order.PaymentId })
            .FirstOrDefaultAsync(cancellationToken);
        if (order is null)
        {
            return null;
        }

        if (order.PaymentId is not { } paymentId)
        {
            return new PaymentDetails(order.Id, null, null, [], [], null);
        }

        PaymentLookup intent;
        ProviderRecords charges, refunds;
        if (calls == ProviderCalls.Sequential)
        {
            intent = await provider.LookUpAsync(paymentId, cancellationToken);
            charges = await provider.ListChargesAsync(paymentId, cancellationToken);
            refunds = await provider.ListRefundsAsync(paymentId, cancellationToken);
        }
        else
        {
            var (intentCall, chargesCall, refundsCall) = (
                provider.LookUpAsync(paymentId, cancellationToken),
                provider.ListChargesAsync(paymentId, cancellationToken),
                provider.ListRefundsAsync(paymentId, cancellationToken));
            await Task.WhenAll(intentCall, chargesCall, refundsCall);
            (intent, charges, refunds) = (await intentCall, await chargesCall, await refundsCall);
        }

        return new PaymentDetails(
            order.Id,
            paymentId,
            intent.Statuses.GetValueOrDefault(paymentId),
            charges.Records,
            refunds.Records,
            intent.Error ?? charges.Error ?? refunds.Error);
    }
}

/// <param name="ProviderStatus">The intent's status at the provider (<c>succeeded</c>); <see langword="null"/> without a payment.</param>
/// <param name="Error">Set when the provider could not be asked.</param>
public sealed record PaymentDetails(
    Guid OrderId,
    string? PaymentId,
    string? ProviderStatus,
    IReadOnlyList<ProviderRecord> Charges,
    IReadOnlyList<ProviderRecord> Refunds,
    string? Error);
