using Microsoft.AspNetCore.Mvc;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Web.TraceDoctor;

/// <summary>
/// The Trace doctor's linked traces: those this trace links to and those that link to it (an order's request and its
/// background payments), and for an order the time from placed to paid across them. Its own component, reading the
/// store itself, so the page only says where it goes.
/// </summary>
public sealed class LinkedTracesViewComponent(TraceStore traces) : ViewComponent
{
    /// <summary>How many of the last traces are read for links to this one: a background payment follows its request within seconds.</summary>
    public const int SearchedTraces = 200;

    /// <summary>A span may link to many traces (a batch); the page shows the first ones.</summary>
    private const int MaxLinkedTo = 10;

    public async Task<IViewComponentResult> InvokeAsync(IReadOnlyList<TraceSpan> trace)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var traceId = trace[0].TraceId;

        var linkedTo = new List<(string TraceId, IReadOnlyList<TraceSpan> Spans)>();
        foreach (var target in LinkedTraces.LinkedTo(trace).Take(MaxLinkedTo))
        {
            linkedTo.Add((target, await traces.FindAsync(target, cancellationToken)));
        }

        var linkedFrom = await traces.LinkingToAsync(trace, SearchedTraces, cancellationToken);

        var rows = linkedTo.Select(linked => LinkedTraceRow.Of(LinkDirection.LinksTo, linked.TraceId, linked.Spans))
            .Concat(linkedFrom.Select(linked => LinkedTraceRow.Of(LinkDirection.LinkedFrom, linked[0].TraceId, linked)));
        var orders = PlacedToPaid.Of([trace, .. linkedTo.Select(linked => linked.Spans), .. linkedFrom]);

        return View("/Pages/Traces/_LinkedTraces.cshtml", new LinkedTracesView(traceId, [.. rows], orders));
    }
}

/// <summary>What the linked-traces section shows for one trace.</summary>
public sealed record LinkedTracesView(string TraceId, IReadOnlyList<LinkedTraceRow> Rows, IReadOnlyList<PlacedToPaid> Orders);

/// <summary>One linked trace; <paramref name="Summary"/> is null for a trace no store holds (any more).</summary>
public sealed record LinkedTraceRow(LinkDirection Direction, string TraceId, TraceSummary? Summary)
{
    public static LinkedTraceRow Of(LinkDirection direction, string traceId, IReadOnlyList<TraceSpan> spans) =>
        new(direction, traceId, spans.Count > 0 ? TraceSummary.Of(spans) : null);

    /// <summary>The direction as the page's data attribute writes it.</summary>
    public string DirectionName => Direction == LinkDirection.LinksTo ? "links-to" : "linked-from";
}
