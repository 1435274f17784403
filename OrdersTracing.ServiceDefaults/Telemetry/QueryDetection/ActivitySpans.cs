using System.Diagnostics;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>A live span as the detectors see it, read by the same <see cref="DetectedSpanReader"/> as a stored one.</summary>
internal static class ActivitySpans
{
    private static readonly Func<string, string> Normalise = StatementShapes.Of;

    public static DetectedSpan Read(Activity activity)
    {
        var reader = new DetectedSpanReader();
        foreach (ref readonly var tag in activity.EnumerateTagObjects())
        {
            reader.Accept(tag.Key, tag.Value);
        }

        var start = activity.StartTimeUtc.Ticks;
        return reader.Build(activity.SpanId, activity.ParentSpanId, start, start + activity.Duration.Ticks,
            activity.Kind == ActivityKind.Client, activity.DisplayName, Normalise);
    }
}
