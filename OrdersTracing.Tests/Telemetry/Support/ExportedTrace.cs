using System.Diagnostics;
using System.Globalization;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// Exported activities as a trace store gives them back to the Trace doctor: <see cref="TraceSpan"/>s with string
/// attributes, and array attributes of events written as OTLP arrays are read (<c>[a,b]</c>).
/// </summary>
internal static class ExportedTrace
{
    public static IReadOnlyList<TraceSpan> Of(IEnumerable<Activity> activities, string service) =>
        [.. activities.Select(activity => new TraceSpan(
            activity.TraceId.ToHexString(),
            activity.SpanId.ToHexString(),
            activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString(),
            activity.DisplayName,
            activity.Kind switch
            {
                ActivityKind.Server => TraceSpanKind.Server,
                ActivityKind.Client => TraceSpanKind.Client,
                ActivityKind.Producer => TraceSpanKind.Producer,
                ActivityKind.Consumer => TraceSpanKind.Consumer,
                _ => TraceSpanKind.Internal,
            },
            service,
            new DateTimeOffset(activity.StartTimeUtc),
            activity.Duration,
            activity.TagObjects.ToDictionary(tag => tag.Key, tag => Text(tag.Value)),
            TraceSpanStatus.Unset,
            null,
            [.. activity.Events.Select(e => new TraceSpanEvent(e.Name, e.Timestamp, e.Tags.ToDictionary(tag => tag.Key, tag => Text(tag.Value))))],
            []))];

    private static string Text(object? value) => value switch
    {
        string[] items => "[" + string.Join(",", items) + "]",
        bool flag => flag ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };
}
