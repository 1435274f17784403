namespace OrdersTracing.Api.Orders;

public sealed class Order
{
    public Guid Id { get; private init; }

    public required string TenantId { get; init; }

    public required string UserId { get; init; }

    public DateTimeOffset CreatedAt { get; private init; }

    public decimal Total { get; private init; }

    public string Currency { get; private init; } = "usd";

    public PaymentStatus PaymentStatus { get; private set; }

    public string? PaymentId { get; private set; }

    public string? PaymentError { get; private set; }

    public List<OrderItem> Items { get; private init; } = [];

    public static Order Place(string tenantId, string userId, IEnumerable<OrderItem> items, DateTimeOffset now)
    {
        var lines = items.ToList();

        return new Order
        {
            // Version 7 ids grow with time, so new orders append to the primary key index instead of splitting it.
            Id = Guid.CreateVersion7(now),
            TenantId = tenantId,
            UserId = userId,
            CreatedAt = now,
            Items = lines,
            Total = lines.Sum(line => line.Quantity * line.UnitPrice),
            PaymentStatus = PaymentStatus.Pending,
        };
    }

    /// <summary>
    /// What the provider said. A paid order stays paid: a timed-out attempt may have charged the card, and the
    /// provider's answer (or webhook) saying so wins over any later failure.
    /// </summary>
    public void RecordPayment(PaymentResult payment)
    {
        if (PaymentStatus == PaymentStatus.Paid)
        {
            return;
        }

        PaymentStatus = payment.Succeeded ? PaymentStatus.Paid : PaymentStatus.PaymentFailed;
        PaymentId = payment.PaymentId;
        PaymentError = payment.Error;
    }
}

public sealed class OrderItem
{
    public long Id { get; private init; }

    public Guid OrderId { get; private init; }

    public required string Sku { get; init; }

    public required int Quantity { get; init; }

    public required decimal UnitPrice { get; init; }
}
