using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(FaultsCollection.Name)]
public sealed class DatabaseOutageTests(FaultsAppFixture fixture)
{
    private static readonly TimeSpan QuickAnswer = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RecoveryDeadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task When_Postgres_stops_and_restarts_under_load_requests_get_a_quick_503_the_api_recovers_and_no_acknowledged_order_is_lost()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        var results = new ConcurrentQueue<LoadResult>();
        using var stopLoad = new CancellationTokenSource();
        var load = FaultLoad.PlaceOrdersUntilAsync(api, tenant, concurrency: 3, pause: TimeSpan.FromMilliseconds(100), results, stopLoad.Token);
        await WaitUntilAsync(() => results.Count(result => result.Status == HttpStatusCode.Created) >= 5, "orders before the outage");

        var stopped = Stopwatch.StartNew();
        StopPostgres();
        var (sawUnhealthy, unhealthyFor) = await WaitForOutageAndRecoveryAsync(api);
        var recoveredAfter = stopped.Elapsed;
        var atRecovery = results.Count;
        await WaitUntilAsync(() => results.Skip(atRecovery).Count(result => result.Status == HttpStatusCode.Created) >= 5, "orders after the outage");
        await stopLoad.CancelAsync();
        await load;
        var acknowledged = results.Where(result => result.Status == HttpStatusCode.Created).Select(result => Guid.Parse(result.OrderId!)).ToHashSet();
        var stored = await StoredOrdersAsync(tenant);

        var unavailable = results.Where(result => result.Status == HttpStatusCode.ServiceUnavailable).ToList();
        FaultLoad.Report("postgres-restart",
            $"{results.Count} order requests ({FaultLoad.Describe(results)}); slowest 503 {unavailable.Select(result => result.Duration.TotalMilliseconds).DefaultIfEmpty().Max():F0} ms; "
            + $"/health unhealthy for {unhealthyFor.TotalSeconds:F1} s, healthy again {recoveredAfter.TotalSeconds:F1} s after the stop; "
            + $"{acknowledged.Count} acknowledged with 201, {acknowledged.Count(stored.Contains)} of them stored, {acknowledged.Count(id => !stored.Contains(id))} lost");
        Assert.True(sawUnhealthy, "/health never reported the outage");
        Assert.True(unavailable.Count > 0, $"no request saw the outage: {FaultLoad.Describe(results)}");
        Assert.All(results, result => Assert.Contains(result.Status, new[] { HttpStatusCode.Created, HttpStatusCode.ServiceUnavailable }));
        Assert.All(unavailable, result =>
        {
            Assert.Equal("application/problem+json", result.ContentType);
            Assert.NotNull(result.RetryAfter);
            Assert.True(result.Duration < QuickAnswer, $"a 503 took {result.Duration.TotalSeconds:F1} s");
        });
        Assert.Subset(stored, acknowledged);
    }

    private void StopPostgres()
    {
        // The postmaster is the resource's child process; SIGINT is its fast shutdown, as `pg_ctl stop -m fast` sends.
        // The resource's script starts it again on the same data a few seconds later.
        var script = fixture.ProcessIdOf("postgres");
        var postmaster = LocalProcesses.ChildrenOf(script).Single(child => child.Name == "postgres").Pid;
        LocalProcesses.Signal(postmaster, "INT");
    }

    /// <summary>Polls /health until it has said Unhealthy and then Healthy again; returns whether, and for how long, it said Unhealthy.</summary>
    private static async Task<(bool SawUnhealthy, TimeSpan UnhealthyFor)> WaitForOutageAndRecoveryAsync(HttpClient api)
    {
        var stopwatch = Stopwatch.StartNew();
        TimeSpan? firstUnhealthy = null;
        while (stopwatch.Elapsed < RecoveryDeadline)
        {
            using var response = await api.GetAsync("/health");
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                firstUnhealthy ??= stopwatch.Elapsed;
            }
            else if (firstUnhealthy is { } since && response.IsSuccessStatusCode)
            {
                return (true, stopwatch.Elapsed - since);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200));
        }

        Assert.Fail(firstUnhealthy is null ? "/health never reported the outage." : "The Api did not become healthy again.");
        return default;
    }

    private async Task<HashSet<Guid>> StoredOrdersAsync(string tenant)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var query = new Npgsql.NpgsqlCommand("SELECT id FROM orders WHERE tenant_id = @tenant", db);
        query.Parameters.AddWithValue("tenant", tenant);
        var ids = new HashSet<Guid>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < RecoveryDeadline, $"timed out waiting for {what}");
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
    }
}
