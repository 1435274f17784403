using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// Starts spans on a clock the test moves, the way a request's spans follow one another, so that durations are exact
/// without sleeping. Spans nest as in a service: through <see cref="Activity.Current"/>.
/// </summary>
internal sealed class QueryTimeline(ActivitySource source)
{
    private DateTime now = DateTime.UtcNow;

    public Activity Start(string name, ActivityKind kind = ActivityKind.Internal)
    {
        var span = source.StartActivity(name, kind) ?? throw new InvalidOperationException($"Nothing listens to {source.Name}.");
        span.SetStartTime(now);
        return span;
    }

    /// <summary>A query as Npgsql records it, taking <paramref name="milliseconds"/>.</summary>
    public Activity Query(string statement, double milliseconds)
    {
        var query = Start("postgresql", ActivityKind.Client);
        query.SetTag(TelemetryTags.DbSystemName, "postgresql");
        query.SetTag(TelemetryTags.DbQueryText, statement);
        Wait(milliseconds);
        End(query);
        return query;
    }

    /// <summary>A physical connection open as Npgsql records it: a database span without a statement.</summary>
    public Activity Connect(double milliseconds)
    {
        var connect = Start("CONNECT ordersdb", ActivityKind.Client);
        connect.SetTag(TelemetryTags.DbSystemName, "postgresql");
        Wait(milliseconds);
        End(connect);
        return connect;
    }

    public void Wait(double milliseconds) => now += TimeSpan.FromMilliseconds(milliseconds);

    public void End(Activity span)
    {
        span.SetEndTime(now);
        span.Stop();
    }
}
