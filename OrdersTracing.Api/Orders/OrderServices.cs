using OrdersTracing.Api.Payments;

namespace OrdersTracing.Api.Orders;

public sealed class OrderServices(OrdersDbContext db, PaymentProviderClient payments, TimeProvider clock, ILogger<OrderServices> logger)
{
    public OrdersDbContext Db { get; } = db;

    public PaymentProviderClient Payments { get; } = payments;

    public TimeProvider Clock { get; } = clock;

    public ILogger<OrderServices> Logger { get; } = logger;
}
