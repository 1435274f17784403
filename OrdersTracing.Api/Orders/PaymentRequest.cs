using System.Diagnostics;

namespace OrdersTracing.Api.Orders;

/// <summary>
/// A payment still to be made, written in the same transaction as its order so that a crash between the two cannot
/// lose it. It carries the W3C trace context of the request that placed the order, so the worker's trace links back.
/// </summary>
public sealed class PaymentRequest
{
    public Guid OrderId { get; init; }

    public required string TenantId { get; init; }

    public required string PaymentMethod { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    public int Attempts { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public string? LastError { get; set; }

    internal static PaymentRequest For(Order order, string paymentMethod, Activity? requestActivity) => new()
    {
        OrderId = order.Id,
        TenantId = order.TenantId,
        PaymentMethod = paymentMethod,
        CreatedAt = order.CreatedAt,
        TraceParent = requestActivity?.Id,
        TraceState = requestActivity?.TraceStateString,
    };

    /// <summary>The context of the request that placed the order, for a span link; default where there was none or it is unreadable.</summary>
    public ActivityContext RequestContext =>
        ActivityContext.TryParse(TraceParent, TraceState, out var context) ? context : default;
}
