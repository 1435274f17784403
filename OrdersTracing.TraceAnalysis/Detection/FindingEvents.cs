using System.Globalization;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// How a live detector's finding travels with the trace: an event on the local root span with the finding's fields as
/// attributes, and a mark on the root that the Collector's tail sampler keeps the trace for. Reading the event back
/// gives the same <see cref="Finding"/> the processor made.
/// </summary>
public static class FindingEvents
{
    public const string EventName = "performance_issue";

    /// <summary>On the local root span of a trace in which a detector found something; the tail-sampling policy's key.</summary>
    public const string Detected = "performance_issue.detected";

    /// <summary>On the root too: the kinds found, so that a backend can search for one.</summary>
    public const string Kinds = "performance_issue.kinds";

    public const string Kind = "performance_issue.kind";
    public const string Subject = "performance_issue.subject";
    public const string Count = "performance_issue.count";
    public const string TotalDurationMs = "performance_issue.total_duration_ms";
    public const string SpanIds = "performance_issue.span_ids";
    public const string SourceSpanId = "performance_issue.source_span_id";
    public const string ParentSpanId = "performance_issue.parent_span_id";
    public const string TimeSavedMs = "performance_issue.time_saved_ms";

    /// <summary>The kind as the attributes and the counter name it: <c>n_plus_one_db</c>, <c>slow_db_query</c>...</summary>
    public static string Name(FindingKind kind) => kind switch
    {
        FindingKind.NPlusOneDb => "n_plus_one_db",
        FindingKind.SlowDbQuery => "slow_db_query",
        FindingKind.NPlusOneHttp => "n_plus_one_http",
        FindingKind.ConsecutiveDb => "consecutive_db",
        FindingKind.ConsecutiveHttp => "consecutive_http",
        FindingKind.MNPlusOneDb => "mn_plus_one_db",
        FindingKind.LargeHttpPayload => "large_http_payload",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "A finding kind without a name."),
    };

    public static IEnumerable<KeyValuePair<string, object?>> Attributes(Finding finding)
    {
        yield return new(Kind, Name(finding.Kind));
        yield return new(Subject, finding.Subject);
        yield return new(Count, finding.Count);
        yield return new(TotalDurationMs, finding.TotalDuration.TotalMilliseconds);
        yield return new(SpanIds, finding.EvidenceSpanIds.ToArray());
        if (finding.SourceSpanId is { } source)
        {
            yield return new(SourceSpanId, source);
        }

        if (finding.ParentSpanId is { } parent)
        {
            yield return new(ParentSpanId, parent);
        }

        if (finding.TimeSaved is { } saved)
        {
            yield return new(TimeSavedMs, saved.TotalMilliseconds);
        }
    }

    /// <summary>The finding an event describes, or null for another event.</summary>
    /// <param name="service">The service of the span that carries the event.</param>
    public static Finding? Read(string eventName, string service, IEnumerable<KeyValuePair<string, object?>> attributes)
    {
        if (eventName != EventName)
        {
            return null;
        }

        var values = attributes.ToDictionary(attribute => attribute.Key, attribute => attribute.Value);
        var kind = Enum.GetValues<FindingKind>().Cast<FindingKind?>().FirstOrDefault(candidate => Name(candidate!.Value) == Text(values, Kind));
        if (kind is null)
        {
            return null;
        }

        return new Finding(kind.Value, service, SpanIdList(values.GetValueOrDefault(SpanIds)), Text(values, Subject) ?? "",
            (int)(Number(values, Count) ?? 0), TimeSpan.FromMilliseconds(Number(values, TotalDurationMs) ?? 0))
        {
            SourceSpanId = Text(values, SourceSpanId),
            ParentSpanId = Text(values, ParentSpanId),
            TimeSaved = Number(values, TimeSavedMs) is { } saved ? TimeSpan.FromMilliseconds(saved) : null,
            Origin = FindingOrigin.LiveDetector,
        };
    }

    private static string? Text(Dictionary<string, object?> values, string key) => values.GetValueOrDefault(key)?.ToString();

    private static double? Number(Dictionary<string, object?> values, string key) => values.GetValueOrDefault(key) switch
    {
        int number => number,
        long number => number,
        double number => number,
        string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => number,
        _ => null,
    };

    /// <summary>
    /// An array attribute as the SDK holds it, as <see cref="OtlpTraceReader"/> renders an OTLP array (<c>[a,b]</c>), or
    /// as the Aspire dashboard's API gives it back, a JSON array in a string (<c>["a","b"]</c>).
    /// </summary>
    private static IReadOnlyList<string> SpanIdList(object? value) => value switch
    {
        string[] ids => ids,
        string text => [.. text.Trim('[', ']').Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => id.Trim('"'))],
        _ => [],
    };
}
