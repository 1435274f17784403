using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.Tests.Api.Support;

namespace OrdersTracing.Tests.Api;

/// <summary>Waiting for a database connection, which Npgsql's spans do not show, as a span of its own.</summary>
[Collection(LocalPostgresCollection.Name)]
public sealed class ConnectionOpenTracingTests(LocalPostgres postgres)
{
    private static readonly TimeSpan Held = TimeSpan.FromMilliseconds(400);

    private readonly FakePaymentProvider provider = new();

    [Fact]
    public async Task Waiting_for_a_pooled_connection_is_a_connection_open_span_from_when_the_wait_began()
    {
        var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { MaxPoolSize = 1 };
        await using var api = ApiServices.Create(database.ConnectionString, provider);
        await using var holder = api.Services.CreateAsyncScope();
        await holder.ServiceProvider.GetRequiredService<OrdersDbContext>().Database.OpenConnectionAsync(TestContext.Current.CancellationToken);
        using var recorder = new ActivityRecorder();

        var waiting = CountOrdersAsync(api);
        await Task.Delay(Held, TestContext.Current.CancellationToken);
        await holder.DisposeAsync();
        await waiting;

        var open = Assert.Single(recorder.Spans, IsConnectionOpen);
        var query = Assert.Single(recorder.Queries);
        Assert.True(open.Duration >= Held * 0.9, $"the open took {open.Duration.TotalMilliseconds:F0} ms");
        Assert.True(query.StartTimeUtc >= open.StartTimeUtc + open.Duration, "the statement ran before the connection was open");
        Assert.Equal(ActivityKind.Internal, open.Kind);
        Assert.Equal(ActivityStatusCode.Unset, open.Status);
        Assert.Equal("postgresql", open.GetTagItem(TelemetryTags.DbSystemName));
        Assert.Equal($"{database.Host}:{database.Port}/{database.Database}", open.GetTagItem(TelemetryTags.DbClientConnectionPoolName));
        Assert.Equal(recorder.Spans.Single(span => span.OperationName == "count").SpanId, open.ParentSpanId);
    }

    [Fact]
    public async Task A_connection_from_the_pool_leaves_no_span()
    {
        await using var api = ApiServices.Create(await postgres.CreateDatabaseAsync(), provider);
        await CountOrdersAsync(api);
        using var recorder = new ActivityRecorder();

        await CountOrdersAsync(api);

        Assert.Single(recorder.Queries);
        Assert.DoesNotContain(recorder.Spans, IsConnectionOpen);
    }

    [Fact]
    public async Task A_refused_connection_is_a_connection_open_span_in_error_with_the_exception_for_each_attempt()
    {
        var refused = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync()) { Host = "127.0.0.1", Port = ClosedPort.Number };
        await using var api = ApiServices.Create(refused.ConnectionString, provider);
        using var recorder = new ActivityRecorder();

        await Assert.ThrowsAnyAsync<Exception>(() => CountOrdersAsync(api));

        var opens = recorder.Spans.Where(IsConnectionOpen).ToList();
        Assert.Equal(1 + OrdersDatabaseExtensions.MaxRetries, opens.Count);
        Assert.All(opens, open => Assert.Equal(ActivityStatusCode.Error, open.Status));
        Assert.All(opens, open => Assert.Contains(open.Events, e => e.Name == "exception"));
    }

    private static bool IsConnectionOpen(Activity span) => span.OperationName == OrdersTelemetry.Spans.OpenConnection;

    /// <summary>A statement under a span of the test's own, as a request's statements are under the request's.</summary>
    private static Task<int> CountOrdersAsync(ApiServices api) => api.InScopeAsync(async scope =>
    {
        using var count = OrdersTelemetry.Source.StartActivity("count");
        return await scope.GetRequiredService<OrdersDbContext>().Orders.CountAsync(TestContext.Current.CancellationToken);
    });
}
