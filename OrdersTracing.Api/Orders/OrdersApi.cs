using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Payments;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class OrdersApi
{
    public const int MaxPageSize = 100;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders");

        api.MapPost("", CreateOrderAsync);
        api.MapGet("", ListOrdersAsync);
        api.MapGet("/{orderId:guid}", GetOrderAsync);

        return api;
    }

    public static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrderAsync(
        CreateOrderRequest request,
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken)
    {
        var errors = request.Validate();
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The order is not valid.");
        }

        using var activity = StartActivity(OrdersTelemetry.Spans.CreateOrder, caller);

        var order = Order.Place(
            caller.TenantId,
            caller.UserId,
            request.Items!.Select(item => new OrderItem { Sku = item.Sku!, Quantity = item.Quantity, UnitPrice = item.UnitPrice }),
            services.Clock.GetUtcNow());
        activity?.SetTag(TelemetryTags.OrderId, order.Id);
        activity?.SetTag(TelemetryTags.OrderTotal, order.Total);
        activity?.SetTag(TelemetryTags.OrderItemCount, order.Items.Count);

        services.Db.Orders.Add(order);
        await services.Db.SaveChangesAsync(cancellationToken);

        // From here the order exists: finish recording its payment even if the caller goes away.
        var payment = await services.Payments.CreatePaymentIntentAsync(
            order, request.PaymentMethod ?? CreateOrderRequest.DefaultPaymentMethod, CancellationToken.None);

        using (OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.RecordPayment))
        {
            order.RecordPayment(payment);
            await services.Db.SaveChangesAsync(CancellationToken.None);
        }

        activity?.SetTag(TelemetryTags.PaymentStatus, order.PaymentStatus.ToString());
        if (!payment.Succeeded)
        {
            activity.RecordError(new PaymentFailedException(order.Id, payment));
            return PaymentProblem(order, payment);
        }

        return TypedResults.Created($"/api/orders/{order.Id}", OrderResponse.From(order));
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20)
    {
        if (page < 1 || pageSize is < 1 or > MaxPageSize)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]>
                {
                    ["page"] = ["Pages start at 1."],
                    ["pageSize"] = [$"A page holds 1 to {MaxPageSize} orders."],
                },
                title: "The page is not valid.");
        }

        using var activity = StartActivity(OrdersTelemetry.Spans.ListOrders, caller);

        // One row more than asked tells whether another page exists, without counting the tenant's orders.
        var rows = await services.Db.Orders
            .AsNoTracking()
            .Where(order => order.TenantId == caller.TenantId)
            .OrderByDescending(order => order.CreatedAt)
            .ThenByDescending(order => order.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize + 1)
            .Select(order => new OrderSummary(order.Id, order.CreatedAt, order.Total, order.Currency, order.PaymentStatus))
            .ToListAsync(cancellationToken);

        return TypedResults.Ok(new OrderPage(page, pageSize, rows.Count > pageSize, rows.Take(pageSize).ToList()));
    }

    public static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrderAsync(
        Guid orderId,
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken)
    {
        using var activity = StartActivity(OrdersTelemetry.Spans.GetOrder, caller);
        activity?.SetTag(TelemetryTags.OrderId, orderId);

        var order = await services.Db.Orders
            .AsNoTracking()
            .Include(order => order.Items)
            .FirstOrDefaultAsync(order => order.Id == orderId && order.TenantId == caller.TenantId, cancellationToken);

        // Another tenant's order is answered exactly like a missing one, so ids cannot be probed.
        return order is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found.", detail: $"There is no order {orderId}.")
            : TypedResults.Ok(OrderResponse.From(order));
    }

    private static Activity? StartActivity(string name, CallerIdentity caller)
    {
        var activity = OrdersTelemetry.Source.StartActivity(name);
        activity?.SetTag(TelemetryTags.TenantId, caller.TenantId);
        activity?.SetTag(TelemetryTags.UserId, caller.UserId);
        return activity;
    }

    private static ProblemHttpResult PaymentProblem(Order order, PaymentResult payment)
    {
        var (status, title) = payment.Failure == PaymentFailure.Declined
            ? (StatusCodes.Status402PaymentRequired, "The payment was declined.")
            : (StatusCodes.Status502BadGateway, "The payment provider failed.");

        return TypedResults.Problem(
            statusCode: status,
            title: title,
            detail: $"{payment.Error} Order {order.Id} was saved with payment status payment_failed; nothing was charged.",
            extensions: new Dictionary<string, object?>
            {
                ["orderId"] = order.Id,
                ["paymentStatus"] = order.PaymentStatus,
            });
    }
}
