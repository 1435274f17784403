using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OrdersTracing.Web.Orders;

namespace OrdersTracing.Web.Pages.Orders;

public sealed class IndexModel(OrdersApiClient orders) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public OrderPageView? Orders { get; private set; }

    public ProblemDetails? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var result = await orders.ListOrdersAsync(User, Math.Max(1, PageNumber), cancellationToken);
        (Orders, Problem) = (result.Value, result.Problem);
        if (Problem is not null)
        {
            Response.StatusCode = Problem.Status ?? StatusCodes.Status502BadGateway;
        }
    }
}
