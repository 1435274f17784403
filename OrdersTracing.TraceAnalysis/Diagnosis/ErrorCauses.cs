using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Errors charged to where they first happened: a failed span none of whose descendants failed. Its ancestors that
/// report the same error (a 500 rethrown up through every service) are symptoms. Attempts of one call that failed
/// alike are one cause, which holds the failed attempts and the backoff between them on the critical path.
/// </summary>
internal static class ErrorCauses
{
    private static readonly string[] TimeoutWords = ["timeout", "timedout", "timed out", "canceled", "cancelled"];
    private static readonly string[] DatabaseWords = ["npgsql", "postgres", "sqlexception", "dbexception"];
    private static readonly string[] PoolWords = ["pool has been exhausted", "pool exhausted"];
    // Polly's BrokenCircuitException and IsolatedCircuitException, by type or by their messages as a caller reports them.
    private static readonly string[] CircuitWords =
        ["brokencircuitexception", "isolatedcircuitexception", "circuit is now open", "circuit is manually held open"];
    private static readonly string[] ConnectionWords =
        ["failed to connect", "connection refused", "could not connect", "the database system is", "terminating connection", "connection reset"];

    public static List<(DateTimeOffset Start, RootCause Cause)> Find(TraceAnalysisContext analysis)
    {
        var failed = analysis.Spans.Where(span => Failed(span)).ToHashSet();
        if (failed.Count == 0)
        {
            return [];
        }

        var origins = failed
            .Where(span => !failed.Any(other => other != span && analysis.IsWithin(other, span)))
            .Where(span => !analysis.Spans.Any(other => IsRefusal(other) && analysis.IsWithin(other, span)))
            .OrderBy(ErrorTime)
            .ToList();

        return
        [
            .. origins
                .Select(origin => Classify(origin, analysis))
                .GroupBy(found => (found.Kind, found.Culprit.Service, found.Culprit.Name))
                .Select(group => (ErrorTime(group.First().Origin), Cause(group.Key.Kind, [.. group], analysis, failed))),
        ];
    }

    /// <summary>A span in error: its status, an exception event, or a server's 5xx.</summary>
    private static bool Failed(TraceSpan span) =>
        !IsRefusal(span) && (span.Status == TraceSpanStatus.Error || span.FirstException() is not null || (span.Kind == TraceSpanKind.Server && span.HasServerError()));

    /// <summary>A call answered 4xx: the dependency said no (a declined card), which is an answer, not a fault.</summary>
    private static bool IsRefusal(TraceSpan span) =>
        span.Kind == TraceSpanKind.Client && span.StatusCode() is >= 400 and < 500;

    private static DateTimeOffset ErrorTime(TraceSpan span) => span.FirstException()?.Time ?? span.Start;

    private static (CauseKind Kind, TraceSpan Culprit, TraceSpan Origin) Classify(TraceSpan origin, TraceAnalysisContext analysis)
    {
        var text = ErrorText(origin);
        if (origin.Name == DiagnosisSignals.ConnectionOpenSpan)
        {
            return (Mentions(text, PoolWords) ? CauseKind.ConnectionPoolWait : CauseKind.DatabaseUnavailable, origin, origin);
        }

        // Before the kinds below: the call failed without being made, whatever the caller reports it as.
        if (Mentions(text, CircuitWords))
        {
            return (CauseKind.CircuitOpen, origin, origin);
        }

        if (origin.IsCache())
        {
            return (CauseKind.CacheUnavailable, origin, origin);
        }

        if (origin.Kind == TraceSpanKind.Client && origin.IsHttp())
        {
            var server = analysis.Children(origin).FirstOrDefault(child => child.Kind == TraceSpanKind.Server);
            return origin.StatusCode() is >= 500 ? (CauseKind.DependencyErrors, origin, origin)
                : server is not null ? (CauseKind.DependencyTimeout, server, origin)
                : Mentions(text, TimeoutWords) ? (CauseKind.DependencyTimeout, origin, origin)
                : (CauseKind.DependencyUnreachable, origin, origin);
        }

        if (Mentions(text, PoolWords))
        {
            return (CauseKind.ConnectionPoolWait, origin, origin);
        }

        if ((origin.IsDatabase() || Mentions(text, DatabaseWords)) && (Mentions(text, ConnectionWords) || !origin.IsStatement()))
        {
            return (CauseKind.DatabaseUnavailable, origin, origin);
        }

        // A called service that answered 5xx with nothing of its own traced (a provider) is a failing dependency; one
        // whose own work is traced threw (or failed) in code of its own.
        if (origin.Kind == TraceSpanKind.Server && analysis.Parent(origin) is { Kind: TraceSpanKind.Client } call && call.Service != origin.Service
            && TimeCauses.IsBlackBox(origin, analysis))
        {
            return (CauseKind.DependencyErrors, origin, origin);
        }

        return (CauseKind.Exception, origin, origin);
    }

    private static RootCause Cause(CauseKind kind, List<(CauseKind Kind, TraceSpan Culprit, TraceSpan Origin)> found, TraceAnalysisContext analysis, HashSet<TraceSpan> failed)
    {
        var culprit = found[0].Culprit;
        var (cost, recovered) = kind == CauseKind.Exception
            ? (found.Aggregate(TimeSpan.Zero, (sum, item) => sum + SubtreeOnPath(item.Origin, analysis)), false)
            : AttemptsCost(found, analysis, failed);
        var evidence = found.SelectMany(item => item.Culprit == item.Origin ? [item.Culprit.SpanId] : new[] { item.Culprit.SpanId, item.Origin.SpanId })
            .Distinct().ToList();
        return new RootCause(kind, culprit.Service, culprit.SpanId, culprit.Name, evidence, cost, analysis.Share(cost),
            Explain(kind, found, recovered))
        {
            IsError = true,
            Remedy = CauseRemedies.For(kind),
        };
    }

    /// <summary>
    /// The time from the first failed attempt to the attempt that recovered (or to the last failure's end): each
    /// attempt is the outermost failed span above the origin, whose parent made it and waited between attempts.
    /// </summary>
    private static (TimeSpan Cost, bool Recovered) AttemptsCost(
        List<(CauseKind Kind, TraceSpan Culprit, TraceSpan Origin)> found, TraceAnalysisContext analysis, HashSet<TraceSpan> failed)
    {
        var attempts = found.Select(item => OutermostFailed(item.Origin, analysis, failed)).Distinct().OrderBy(span => span.Start).ToList();
        var caller = analysis.Parent(attempts[0]);
        var retry = caller is null ? null : analysis.Children(caller)
            .FirstOrDefault(sibling => sibling.Start > attempts[^1].Start && sibling.Name == attempts[0].Name && !failed.Contains(sibling));
        var (from, to) = (attempts[0].Start, retry?.Start ?? attempts.Max(span => span.End));
        var scope = caller ?? attempts[0];
        var cost = TimeSpan.Zero;
        foreach (var section in analysis.Path.Sections.Where(section => analysis.IsWithin(section.Span, scope)))
        {
            var overlap = Overlap(section, from, to);
            cost += overlap;
            analysis.Consume(section.Span, overlap);
        }

        return (cost, retry is not null);
    }

    private static TraceSpan OutermostFailed(TraceSpan span, TraceAnalysisContext analysis, HashSet<TraceSpan> failed)
    {
        var current = span;
        while (analysis.Parent(current) is { } parent && failed.Contains(parent))
        {
            current = parent;
        }

        return current;
    }

    internal static TimeSpan SubtreeOnPath(TraceSpan span, TraceAnalysisContext analysis) =>
        analysis.Path.Sections.Where(section => analysis.IsWithin(section.Span, span)).Aggregate(TimeSpan.Zero, (sum, section) => sum + section.Duration);

    private static TimeSpan Overlap(CriticalPathSection section, DateTimeOffset from, DateTimeOffset to)
    {
        var start = section.SectionStart > from ? section.SectionStart : from;
        var end = section.SectionEnd < to ? section.SectionEnd : to;
        return end > start ? end - start : TimeSpan.Zero;
    }

    private static string Explain(CauseKind kind, List<(CauseKind Kind, TraceSpan Culprit, TraceSpan Origin)> found, bool recovered)
    {
        var first = found[0];
        var target = first.Origin[SpanAttributes.ServerAddress] ?? first.Culprit.Service;
        var calls = found.Count == 1 ? "1 call" : $"{found.Count} calls";
        var then = recovered ? ", then a retry succeeded" : "";
        var error = ErrorText(first.Origin);
        return kind switch
        {
            CauseKind.DependencyErrors => $"{calls} to {target} answered "
                + string.Join(", ", found.Select(item => item.Culprit.StatusCode()?.ToString(CultureInfo.InvariantCulture) ?? "an error").Distinct()) + then,
            CauseKind.DependencyTimeout => $"{calls} cut by the caller after {Diagnoser.Milliseconds(first.Origin.Duration)} while {first.Culprit.Service} was still working{then}",
            CauseKind.DependencyUnreachable => $"{calls} to {target} reached no server" + (error.Length > 0 ? $" ({error})" : "") + then,
            CauseKind.CircuitOpen => $"{calls} not sent: the circuit breaker was open after earlier failures" + (error.Length > 0 ? $" ({error})" : ""),
            CauseKind.DatabaseUnavailable => $"{found.Count} connection attempt{(found.Count == 1 ? "" : "s")} to the database failed" + (error.Length > 0 ? $": {error}" : ""),
            CauseKind.ConnectionPoolWait => $"no connection from the pool: {error}",
            CauseKind.CacheUnavailable => $"{found.Count} cache command{(found.Count == 1 ? "" : "s")} failed" + (error.Length > 0 ? $" ({error})" : "")
                + "; the request went on without the cache",
            _ => error.Length > 0 ? error : $"{first.Culprit.Name} failed",
        };
    }

    /// <summary>What the span says about its error: the first exception's type and message, else its status message or error type.</summary>
    private static string ErrorText(TraceSpan span) =>
        span.FirstException() is { } exception
            ? string.Join(": ", new[] { exception.Attributes.GetValueOrDefault(DiagnosisSignals.ExceptionType), exception.Attributes.GetValueOrDefault(DiagnosisSignals.ExceptionMessage) }
                .Where(part => !string.IsNullOrEmpty(part)))
            : span.StatusMessage ?? span[DiagnosisSignals.ErrorType] ?? "";

    private static bool Mentions(string text, string[] words) =>
        words.Any(word => text.Contains(word, StringComparison.OrdinalIgnoreCase));
}
