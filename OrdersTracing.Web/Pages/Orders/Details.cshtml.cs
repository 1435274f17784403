using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.Web.Orders;

namespace OrdersTracing.Web.Pages.Orders;

public sealed class DetailsModel(OrdersApiClient orders) : PageModel
{
    public const string CreatedInTraceKey = "CreatedInTrace";

    public const int PendingRefreshSeconds = 2;

    /// <summary>The Api's status of an order whose payment the background worker has not settled yet.</summary>
    public const string PendingStatus = "pending";

    public OrderView? Order { get; private set; }

    public ProblemDetails? Problem { get; private set; }

    public bool IsPaymentPending => Order?.PaymentStatus == PendingStatus;

    /// <summary>The trace of the request that placed the order, when this page follows placing it.</summary>
    public string? CreatedInTrace { get; private set; }

    public async Task OnGetAsync(Guid orderId, CancellationToken cancellationToken)
    {
        CreatedInTrace = TempData[CreatedInTraceKey] as string;

        var result = await orders.GetOrderAsync(User, orderId, cancellationToken);
        (Order, Problem) = (result.Value, result.Problem);
        if (Problem is not null)
        {
            Response.StatusCode = Problem.Status ?? StatusCodes.Status502BadGateway;
        }
    }
}
