using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// A request's spans written down with their times (milliseconds from the root's start), then played as live
/// activities: started parent first, with <see cref="Activity.Current"/> set to the parent so that each nests as in a
/// service, and ended in the order of their end times, children before a parent that ends with them, the root last.
/// Overlapping spans (parallel queries) are as easy to write as sequential ones.
/// </summary>
internal sealed class SpanScript
{
    private readonly List<Planned> spans = [];

    public SpanScript(double rootDurationMs = 10_000, params (string Key, object Value)[] rootTags) =>
        Root = Add("GET /orders", 0, rootDurationMs, null, ActivityKind.Server, [("http.request.method", "GET"), .. rootTags]);

    public Planned Root { get; }

    public Planned Span(string name, double startMs, double durationMs, Planned? parent = null) =>
        Add(name, startMs, durationMs, parent ?? Root, ActivityKind.Internal, []);

    /// <summary>A query as Npgsql records it.</summary>
    public Planned Query(string statement, double startMs, double durationMs, Planned? parent = null) =>
        Add("postgresql", startMs, durationMs, parent ?? Root, ActivityKind.Client,
            [(TelemetryTags.DbSystemName, "postgresql"), (TelemetryTags.DbQueryText, statement)]);

    public Planned Connect(double startMs, double durationMs, Planned? parent = null) =>
        Add("CONNECT ordersdb", startMs, durationMs, parent ?? Root, ActivityKind.Client, [(TelemetryTags.DbSystemName, "postgresql")]);

    /// <summary>A cache command as the StackExchange.Redis instrumentation records it.</summary>
    public Planned Redis(string command, double startMs, double durationMs, Planned? parent = null) =>
        Add(command.Split(' ')[0], startMs, durationMs, parent ?? Root, ActivityKind.Client,
            [(TelemetryTags.DbSystemName, "redis"), (TelemetryTags.DbQueryText, command)]);

    /// <summary>An outgoing call as the HttpClient instrumentation records it.</summary>
    public Planned Http(string method, string url, double startMs, double durationMs, Planned? parent = null, long? responseBodySize = null) =>
        Add(method, startMs, durationMs, parent ?? Root, ActivityKind.Client,
        [
            ("http.request.method", method), ("url.full", url), ("http.response.status_code", 200),
            .. responseBodySize is { } size ? [("http.response.body.size", (object)size)] : Array.Empty<(string, object)>(),
        ]);

    /// <summary>Plays the script on <paramref name="source"/>; returns the root once it has ended.</summary>
    public Activity Play(ActivitySource source)
    {
        var origin = DateTime.UtcNow;
        var started = new Dictionary<Planned, Activity>();
        foreach (var planned in spans.OrderBy(span => span.Depth).ThenBy(span => span.StartMs))
        {
            Activity.Current = planned.Parent is { } parent ? started[parent] : null;
            var activity = source.StartActivity(planned.Name, planned.Kind) ?? throw new InvalidOperationException($"Nothing listens to {source.Name}.");
            activity.SetStartTime(origin.AddMilliseconds(planned.StartMs));
            foreach (var (key, value) in planned.Tags)
            {
                activity.SetTag(key, value);
            }

            started[planned] = activity;
        }

        foreach (var planned in spans.OrderBy(span => span.StartMs + span.DurationMs).ThenByDescending(span => span.Depth))
        {
            var activity = started[planned];
            activity.SetEndTime(origin.AddMilliseconds(planned.StartMs + planned.DurationMs));
            activity.Stop();
        }

        Activity.Current = null;
        return started[Root];
    }

    private Planned Add(string name, double startMs, double durationMs, Planned? parent, ActivityKind kind, (string Key, object Value)[] tags)
    {
        var planned = new Planned(name, startMs, durationMs, parent, kind, tags, parent is null ? 0 : parent.Depth + 1);
        spans.Add(planned);
        return planned;
    }

    internal sealed record Planned(string Name, double StartMs, double DurationMs, Planned? Parent, ActivityKind Kind, (string Key, object Value)[] Tags, int Depth);
}
