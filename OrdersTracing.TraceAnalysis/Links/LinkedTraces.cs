namespace OrdersTracing.TraceAnalysis;

/// <summary>Which way a span link between two traces goes, seen from the trace being looked at.</summary>
public enum LinkDirection
{
    /// <summary>A span of this trace links to a span of the other (a background payment to the request that placed the order).</summary>
    LinksTo,

    /// <summary>A span of the other trace links to a span of this one (the request, seen from its background payment).</summary>
    LinkedFrom,
}

/// <summary>
/// Traces joined by span links rather than by parenthood: work done later, off the request (a job queued by the
/// request), starts a trace of its own and links to the request's span. A link names the other trace, so the links a
/// trace makes are read from its spans; the links made to it are found only by reading other traces.
/// </summary>
public static class LinkedTraces
{
    /// <summary>The traces this trace's spans link to, itself left out, each once, in the order its spans started.</summary>
    public static IReadOnlyList<string> LinkedTo(IReadOnlyList<TraceSpan> trace)
    {
        ArgumentNullException.ThrowIfNull(trace);

        return [.. trace
            .OrderBy(span => span.Start)
            .SelectMany(span => span.Links.Where(link => link.TraceId.Length > 0 && link.TraceId != span.TraceId))
            .Select(link => link.TraceId)
            .Distinct()];
    }

    /// <summary>
    /// Those of <paramref name="candidates"/> with a span that links to a span of trace <paramref name="traceId"/>, the
    /// trace itself left out, oldest first.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<TraceSpan>> LinkingTo(string traceId, IEnumerable<IReadOnlyList<TraceSpan>> candidates)
    {
        ArgumentException.ThrowIfNullOrEmpty(traceId);
        ArgumentNullException.ThrowIfNull(candidates);

        return [.. candidates
            .Where(trace => trace.Count > 0 && trace[0].TraceId != traceId
                && trace.Any(span => span.Links.Any(link => link.TraceId == traceId)))
            .OrderBy(trace => trace.Min(span => span.Start))];
    }
}
