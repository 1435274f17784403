using Microsoft.AspNetCore.Http.HttpResults;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Tenancy;

namespace OrdersTracing.Api.Orders;

public static class OrdersApi
{
    public const int MaxPageSize = 100;
    public const int MaxPage = 1_000_000;

    public static RouteGroupBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        // Every order endpoint needs Web's service token: it names the caller, whom nothing else may.
        var api = app.MapGroup("/api/orders").WithTags("Orders").RequireAuthorization();

        api.MapPost("", CreateOrderAsync);
        api.MapGet("", ListOrdersAsync);
        api.MapGet("/with-items", ListOrdersWithItemsAsync);
        api.MapGet("/{orderId:guid}", GetOrderAsync);

        // Scenarios whose problem and fix a query parameter picks, to trace both on the same system; the fix by default.
        api.MapGet("/summary", SummarizeAsync);
        api.MapGet("/payment-statuses", ListPaymentStatusesAsync);
        api.MapGet("/export", ExportAsync);
        api.MapGet("/form", LoadFormAsync);
        api.MapGet("/daily-report", ReportDayAsync);
        api.MapGet("/{orderId:guid}/payment", GetPaymentDetailsAsync);
        api.MapGet("/payment-attempts", ListPaymentAttemptsAsync);

        return api;
    }

    /// <param name="payment">Overrides <c>Scenarios:Payments</c> for this request, to compare both on the same system.</param>
    private static async Task<Results<Created<OrderResponse>, ValidationProblem, ProblemHttpResult>> CreateOrderAsync(
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

        var placed = await services.Placement.PlaceAsync(caller, request, payment, cancellationToken);
        return placed.Payment is { Succeeded: false } refused
            ? PaymentProblem(placed.Order, refused)
            : Created(placed.Order);
    }

    private static async Task<Results<Ok<OrderPage>, ValidationProblem>> ListOrdersAsync(
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

        return TypedResults.Ok(await services.Queries.ListAsync(caller, page, pageSize, cancellationToken));
    }

    /// <param name="loading">Overrides <c>Scenarios:ItemLoading</c> for this request, to compare both on the same system.</param>
    private static async Task<Results<Ok<OrderPageWithItems>, ValidationProblem>> ListOrdersWithItemsAsync(
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

        return TypedResults.Ok(await services.Queries.ListWithItemsAsync(caller, page, pageSize, loading, cancellationToken));
    }

    private static async Task<Results<Ok<OrderResponse>, ProblemHttpResult>> GetOrderAsync(
        Guid orderId,
        CallerIdentity caller,
        [AsParameters] OrderServices services,
        CancellationToken cancellationToken)
    {
        var order = await services.Queries.GetAsync(caller, orderId, cancellationToken);

        // Another tenant's order is answered exactly like a missing one, so ids cannot be probed.
        return order is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found.", detail: $"There is no order {orderId}.")
            : TypedResults.Ok(order);
    }

    /// <param name="queries">Sequential: independent aggregates one after another (the problem); Parallel: at once.</param>
    private static async Task<Ok<TenantSummary>> SummarizeAsync(
        CallerIdentity caller,
        TenantSummaries summaries,
        CancellationToken cancellationToken,
        SummaryQueries queries = SummaryQueries.Parallel) =>
        TypedResults.Ok(await summaries.SummarizeAsync(caller, queries, cancellationToken));

    /// <param name="lookups">PerOrder: one provider call per order (the problem); Batched: one for the page.</param>
    private static async Task<Results<Ok<PaymentStatusPage>, ValidationProblem, ProblemHttpResult>> ListPaymentStatusesAsync(
        CallerIdentity caller,
        OrderPaymentStatuses statuses,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20,
        PaymentLookups lookups = PaymentLookups.Batched)
    {
        if (!IsValidPage(page, pageSize))
        {
            return InvalidPage();
        }

        var listed = await statuses.ListAsync(caller, page, pageSize, lookups, cancellationToken);
        return listed.Error is { } error
            ? TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The payment provider failed.", detail: error)
            : TypedResults.Ok(listed);
    }

    /// <param name="paging">None: every order in one response (the problem); Keyset: a page and the next page's cursor.</param>
    /// <param name="after">The cursor a previous page returned as <c>next</c>.</param>
    private static async Task<Results<Ok<OrderExport>, ValidationProblem>> ExportAsync(
        CallerIdentity caller,
        OrderExports exports,
        CancellationToken cancellationToken,
        ExportPaging paging = ExportPaging.Keyset,
        Guid? after = null,
        int pageSize = MaxPageSize)
    {
        if (!IsValidPage(1, pageSize))
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["pageSize"] = [$"A page holds 1 to {MaxPageSize} orders."] },
                title: "The page is not valid.");
        }

        return TypedResults.Ok(await exports.ExportAsync(caller, paging, after, pageSize, cancellationToken));
    }

    /// <param name="queries">Sequential: the four reference tables one query after another (the problem); Batched: in one round trip.</param>
    private static async Task<Ok<OrderFormData>> LoadFormAsync(
        CallerIdentity caller,
        OrderForms forms,
        CancellationToken cancellationToken,
        ReferenceDataQueries queries = ReferenceDataQueries.Batched) =>
        TypedResults.Ok(await forms.LoadAsync(caller, queries, cancellationToken));

    /// <param name="day">The day (UTC) to report; today when not given.</param>
    /// <param name="filter">DateParts: on the parts of each order's date (the problem, no index holds them); Range: on the day's range.</param>
    private static async Task<Ok<DailyReport>> ReportDayAsync(
        CallerIdentity caller,
        OrderReports reports,
        TimeProvider clock,
        CancellationToken cancellationToken,
        DateOnly? day = null,
        DayFilter filter = DayFilter.Range) =>
        TypedResults.Ok(await reports.ReportDayAsync(caller, day ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), filter, cancellationToken));

    /// <param name="calls">Sequential: the intent, its charges and its refunds one call after another (the problem); Parallel: at once.</param>
    private static async Task<Results<Ok<PaymentDetails>, ProblemHttpResult>> GetPaymentDetailsAsync(
        Guid orderId,
        CallerIdentity caller,
        OrderPaymentDetails details,
        CancellationToken cancellationToken,
        ProviderCalls calls = ProviderCalls.Parallel)
    {
        var payment = await details.GetAsync(caller, orderId, calls, cancellationToken);
        return payment switch
        {
            null => TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Order not found.", detail: $"There is no order {orderId}."),
            { Error: { } error } => TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: "The payment provider failed.", detail: error),
            _ => TypedResults.Ok(payment),
        };
    }

    /// <param name="loading">PerOrder: each order's items and outbox row with queries of their own (the problem); PerPage: for the page at once.</param>
    private static async Task<Results<Ok<PaymentAttemptPage>, ValidationProblem>> ListPaymentAttemptsAsync(
        CallerIdentity caller,
        OrderPaymentAttempts attempts,
        CancellationToken cancellationToken,
        int page = 1,
        int pageSize = 20,
        RelatedLoading loading = RelatedLoading.PerPage)
    {
        if (!IsValidPage(page, pageSize))
        {
            return InvalidPage();
        }

        return TypedResults.Ok(await attempts.ListAsync(caller, page, pageSize, loading, cancellationToken));
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
