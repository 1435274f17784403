using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Telemetry;

/// <summary>
/// Makes waiting for a database connection visible: Npgsql traces a physical connect, but not the wait for a pooled
/// connection, which an exhausted pool spends under no span at all. A <see cref="OrdersTelemetry.Spans.OpenConnection"/>
/// span is written after the fact, from when the open began, for every open that took
/// <see cref="Threshold"/> or more and for every open that failed; a pooled open, microseconds, costs one comparison.
/// </summary>
internal sealed class ConnectionOpenTracing : DbConnectionInterceptor
{
    /// <summary>Below this an open was answered from the pool: a span for it would tell nothing and cost on every request.</summary>
    public static readonly TimeSpan Threshold = TimeSpan.FromMilliseconds(1);

    public static ConnectionOpenTracing Instance { get; } = new();

    private ConnectionOpenTracing()
    {
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionOpened(connection, eventData);
        return Task.CompletedTask;
    }

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (eventData.Duration >= Threshold)
        {
            Write(connection, eventData.StartTime, eventData.Duration, exception: null);
        }
    }

    public override Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionFailed(connection, eventData);
        return Task.CompletedTask;
    }

    public override void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData) =>
        Write(connection, eventData.StartTime, eventData.Duration, eventData.Exception);

    private static void Write(DbConnection connection, DateTimeOffset startTime, TimeSpan duration, Exception? exception)
    {
        // With no span to hang under (a background task that left the trace on purpose), a span would be a trace of its own.
        if (Activity.Current is null)
        {
            return;
        }

        using var activity = OrdersTelemetry.Source.StartActivity(
            OrdersTelemetry.Spans.OpenConnection, ActivityKind.Internal, parentContext: default, startTime: startTime);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.DbSystemName, OrdersTelemetry.DatabaseSystems.PostgreSql);
        activity.SetTag(TelemetryTags.DbClientConnectionPoolName, PoolName(connection));
        if (exception is not null)
        {
            activity.RecordError(exception);
        }

        activity.SetEndTime((startTime + duration).UtcDateTime);
    }

    /// <summary>
    /// The semantic conventions' name for a pool without one of its own: <c>server.address:server.port/db.namespace</c>.
    /// </summary>
    private static string PoolName(DbConnection connection) => connection is NpgsqlConnection npgsql
        ? string.Create(CultureInfo.InvariantCulture, $"{npgsql.Host}:{npgsql.Port}/{npgsql.Database}")
        : $"{connection.DataSource}/{connection.Database}";
}
