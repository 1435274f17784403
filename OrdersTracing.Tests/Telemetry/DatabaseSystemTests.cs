using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

public sealed class DatabaseSystemTests
{
    [Fact]
    public async Task A_database_span_with_only_the_current_name_is_exported_under_the_older_name_too()
    {
        await using var telemetry = await StartAsync();

        // As Npgsql 10 traces a physical connection open: db.system.name, no statement.
        using (var connect = telemetry.Source.StartActivity("CONNECT ordersdb", ActivityKind.Client))
        {
            connect!.SetTag(TelemetryTags.DbSystemName, "postgresql");
        }

        var exported = Assert.Single(telemetry.ExportedSpans);
        Assert.Equal("postgresql", exported.GetTagItem(TelemetryTags.DbSystem));
    }

    [Fact]
    public async Task A_span_that_names_its_older_system_keeps_it()
    {
        await using var telemetry = await StartAsync();

        using (var query = telemetry.Source.StartActivity("query", ActivityKind.Client))
        {
            query!.SetTag(TelemetryTags.DbSystemName, "postgresql");
            query.SetTag(TelemetryTags.DbSystem, "cockroachdb");
        }

        Assert.Equal("cockroachdb", Assert.Single(telemetry.ExportedSpans).GetTagItem(TelemetryTags.DbSystem));
    }

    [Fact]
    public async Task A_span_that_is_not_a_database_span_gets_no_database_system()
    {
        await using var telemetry = await StartAsync();

        using (telemetry.Source.StartActivity("GET /orders", ActivityKind.Server))
        {
        }

        Assert.Null(Assert.Single(telemetry.ExportedSpans).GetTagItem(TelemetryTags.DbSystem));
    }

    private static async Task<TelemetryTestHost> StartAsync()
    {
        var telemetry = TelemetryTestHost.Create([]);
        await telemetry.StartAsync();
        return telemetry;
    }
}
