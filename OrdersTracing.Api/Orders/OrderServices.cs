using Microsoft.Extensions.Options;
using OrdersTracing.Api.Scenarios;

namespace OrdersTracing.Api.Orders;

/// <summary>What the orders endpoints need, bound with <c>[AsParameters]</c>.</summary>
public sealed record OrderServices(
    OrdersDbContext Db,
    OrderPlacement Placement,
    IOptionsMonitor<ScenarioOptions> Scenarios);
