using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using OrdersTracing.TraceAnalysis;
using OrdersTracing.Web.TraceDoctor;

namespace OrdersTracing.Web.Pages.Traces;

public sealed class IndexModel(TraceStore traces, IOptions<DetectionThresholds> thresholds, IOptions<DiagnosisThresholds> diagnosis) : PageModel
{
    private const int RecentLimit = 20;

    [BindProperty(SupportsGet = true)]
    public string? TraceId { get; set; }

    public bool IsConfigured => traces.IsConfigured;

    public TraceDiagnosis? Diagnosis { get; private set; }

    /// <summary>Why there is no diagnosis for the trace asked for.</summary>
    public string? Problem { get; private set; }

    public IReadOnlyList<TraceSummary> Recent { get; private set; } = [];

    public string? DependencyGraphSvg { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return;
        }

        var recent = await traces.RecentAsync(RecentLimit, cancellationToken);
        Recent = [.. recent.Select(TraceSummary.Of)];
        DependencyGraphSvg = recent.Count > 0 ? TraceDoctor.DependencyGraphSvg.Render(DependencyGraph.Build(recent)) : null;

        TraceId = TraceId?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(TraceId))
        {
            return;
        }

        if (TraceId.Length != 32 || !TraceId.All(char.IsAsciiHexDigit))
        {
            (Problem, Response.StatusCode) = ($"“{TraceId}” is not a trace id: a trace id is 32 hexadecimal digits.", StatusCodes.Status400BadRequest);
            return;
        }

        var spans = await traces.FindAsync(TraceId, cancellationToken);
        if (spans.Count == 0)
        {
            (Problem, Response.StatusCode) = ($"No trace {TraceId} was found. Spans reach the dashboard a few seconds after the request, "
                + "so reload in a moment; the dashboard also forgets old traces once it holds its maximum.", StatusCodes.Status404NotFound);
            return;
        }

        Diagnosis = TraceDiagnosis.Of(spans, thresholds.Value, diagnosis.Value);
    }
}
