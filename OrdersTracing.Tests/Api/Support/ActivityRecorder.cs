using System.Collections.Concurrent;
using System.Diagnostics;

namespace OrdersTracing.Tests.Api.Support;

/// <summary>
/// Records the spans that the Api's services, Npgsql and HttpClient make under one trace of the test's own: listeners
/// are process-wide, and tests running beside this one make spans of their own, which their trace ids tell apart.
/// </summary>
public sealed class ActivityRecorder : IDisposable
{
    public const string NpgsqlSource = "Npgsql";

    private readonly ConcurrentQueue<Activity> stopped = new();
    private readonly ActivityListener listener;
    private readonly Activity root;

    public ActivityRecorder()
    {
        // Started directly, not through a source: it needs no listener, so it cannot go unsampled.
        root = new Activity("test").SetIdFormat(ActivityIdFormat.W3C).Start();
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is NpgsqlSource or "System.Net.Http" or OrdersTracing.Api.Telemetry.OrdersTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == root.TraceId)
                {
                    stopped.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>The spans that ended under the test's trace so far.</summary>
    public IReadOnlyList<Activity> Spans => [.. stopped];

    /// <summary>The SQL statements run so far; a connection open is an Npgsql span too, without one.</summary>
    public IReadOnlyList<Activity> Queries => [.. stopped.Where(span => span.Source.Name == NpgsqlSource && span.GetTagItem("db.query.text") is not null)];

    /// <summary>Forgets what was recorded, to measure the next step alone.</summary>
    public void Clear() => stopped.Clear();

    public void Dispose()
    {
        root.Dispose();
        listener.Dispose();
    }
}
