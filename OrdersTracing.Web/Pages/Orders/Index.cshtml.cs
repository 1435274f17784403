using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.Web.Orders;

namespace OrdersTracing.Web.Pages.Orders;

public sealed class IndexModel(OrdersApiClient orders) : PageModel
{
    public OrderPageView? Orders { get; private set; }

    public ProblemDetails? Problem { get; private set; }

    /// <param name="pageNumber">From the query only: Razor Pages' own <c>page</c> route value (the page's name) would win over it otherwise.</param>
    public async Task OnGetAsync(CancellationToken cancellationToken, [FromQuery(Name = "page")] int pageNumber = 1)
    {
        var result = await orders.ListOrdersAsync(User, Math.Max(1, pageNumber), cancellationToken);
        (Orders, Problem) = (result.Value, result.Problem);
        if (Problem is not null)
        {
            Response.StatusCode = Problem.Status ?? StatusCodes.Status502BadGateway;
        }
    }
}
