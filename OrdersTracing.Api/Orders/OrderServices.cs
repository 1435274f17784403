namespace OrdersTracing.Api.Orders;

/// <summary>What the orders endpoints need, bound with <c>[AsParameters]</c>.</summary>
public sealed record OrderServices(OrderPlacement Placement, OrderQueries Queries);
