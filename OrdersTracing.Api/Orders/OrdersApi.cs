using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using OrdersTracing.Api.Payments;
using OrdersTracing.Api.Payments.Outbox;
using OrdersTracing.Api.Problems;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Orders;

public static class OrdersApi
{
    public const int MaxPageSize = 100;
    public const int MaxPage = 1_000_000;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/orders").WithTags("Orders");

        api.MapPost("", CreateOrderAsync);
        api.MapGet("", ListOrdersAsync);
        api.MapGet("/with-items", ListOrdersWithItemsAsync);
        api.MapGet("/{orderId:guid}", GetOrderAsync);

        return api;
    }

    /// <param name="payment">Overrides <c>Scenarios:Payments</c> for this request, to compare both on the same system.</param>
    public static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrderAsync(
        CreateOrderRequest request,
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken,
        PaymentProcessing? payment = null)
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
        var paymentMethod = request.PaymentMethod ?? CreateOrderRequest.DefaultPaymentMethod;
        var processing = payment ?? services.Scenarios.CurrentValue.Payments;
        activity?.SetTag(TelemetryTags.OrderId, order.Id);
        activity?.SetTag(TelemetryTags.OrderTotal, order.Total);
        activity?.SetTag(TelemetryTags.OrderItemCount, order.Items.Count);
        activity?.SetTag(TelemetryTags.PaymentProcessing, processing.ToString());

        services.Db.Orders.Add(order);
        if (processing == PaymentProcessing.Background)
        {
            // One transaction: the order never exists without the payment request that will settle it.
            services.Db.PaymentRequests.Add(PaymentRequest.For(order, paymentMethod, Activity.Current));
            await services.Db.SaveChangesAsync(cancellationToken);
            return Created(order);
        }

        await services.Db.SaveChangesAsync(cancellationToken);

        // From here the order exists: finish recording its payment even if the caller goes away.
        var result = await services.Payments.CreatePaymentIntentAsync(order, paymentMethod, CancellationToken.None);
        try
        {
            await RecordPaymentAsync(services.Db, order, result, CancellationToken.None);
        }
        catch (Exception exception) when (DatabaseUnavailableExceptionHandler.IsDatabaseUnavailable(exception))
        {
            // The order is saved and the provider has answered: a 503 now would invite the caller to place the order
            // again and be charged twice. The order is answered as it is; the provider's webhook records a successful
            // payment once the database is back.
            activity?.AddException(exception);
            services.Logger.LogWarning(
                "Order {OrderId} was saved and its payment answered, but the database went away before the answer was recorded: {Error}",
                order.Id, exception.GetBaseException().Message);
        }

        activity?.SetTag(TelemetryTags.PaymentStatus, order.PaymentStatus.ToString());
        if (!result.Succeeded)
        {
            activity.RecordError(new PaymentFailedException(order.Id, result));
            return PaymentProblem(order, result);
        }

        return Created(order);
    }

    /// <summary>Stores what the payment provider answered; the synchronous path and the background worker share it.</summary>
    public static async Task RecordPaymentAsync(OrdersDbContext db, Order order, PaymentResult payment, CancellationToken cancellationToken)
    {
        using var activity = OrdersTelemetry.Source.StartActivity(OrdersTelemetry.Spans.RecordPayment);
        order.RecordPayment(payment);
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20)
    {
        if (!IsValidPage(page, pageSize))
        {
            return InvalidPage();
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

    /// <summary>
    /// A page of orders with their line items: the reference design's N+1. <paramref name="loading"/> overrides
    /// <c>Scenarios:ItemLoading</c> for this request.
    /// </summary>
    public static async Task<Results<Ok<OrderPageWithItems>, ValidationProblem>> ListOrdersWithItemsAsync(
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20,
        ItemLoading? loading = null)
    {
        if (!IsValidPage(page, pageSize))
        {
            return InvalidPage();
        }

        var itemLoading = loading ?? services.Scenarios.CurrentValue.ItemLoading;
        using var activity = StartActivity(OrdersTelemetry.Spans.ListOrdersWithItems, caller);
        activity?.SetTag(TelemetryTags.ItemLoading, itemLoading.ToString());

        var newestFirst = services.Db.Orders
            .Where(order => order.TenantId == caller.TenantId)
            .OrderByDescending(order => order.CreatedAt)
            .ThenByDescending(order => order.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize + 1);

        List<Order> orders;
        if (itemLoading == ItemLoading.Eager)
        {
            orders = await newestFirst.AsNoTracking().Include(order => order.Items).ToListAsync(cancellationToken);
        }
        else
        {
            orders = await newestFirst.ToListAsync(cancellationToken);
            foreach (var order in orders.Take(pageSize))
            {
                await services.Db.Entry(order).Collection(order => order.Items).LoadAsync(cancellationToken);
            }
        }

        return TypedResults.Ok(new OrderPageWithItems(page, pageSize, orders.Count > pageSize, [.. orders.Take(pageSize).Select(OrderResponse.From)]));
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

    private static Created<OrderResponse> Created(Order order) => TypedResults.Created($"/api/orders/{order.Id}", OrderResponse.From(order));

    // Past this page the offset would overflow: no tenant has that many orders.
    private static bool IsValidPage(int page, int pageSize) =>
        page is >= 1 and <= MaxPage && pageSize is >= 1 and <= MaxPageSize;

    private static ValidationProblem InvalidPage() => TypedResults.ValidationProblem(
        new Dictionary<string, string[]>
        {
            ["page"] = [$"Pages run from 1 to {MaxPage}."],
            ["pageSize"] = [$"A page holds 1 to {MaxPageSize} orders."],
        },
        title: "The page is not valid.");

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
