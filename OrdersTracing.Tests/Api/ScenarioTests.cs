using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Scenarios;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.Tests.Api.Support;

namespace OrdersTracing.Tests.Api;

/// <summary>
/// Each scenario's problem and its fix on the Api's own services and a real database, counted as a trace would show
/// them: SQL statements from Npgsql's spans, provider calls from the requests that reached the provider.
/// </summary>
[Collection(LocalPostgresCollection.Name)]
public sealed class ScenarioTests(LocalPostgres postgres) : ApiTest(postgres)
{
    private const string Tenant = "tenant-a";
    private const int Summaries = 6;
    private static readonly CallerIdentity Caller = new(Tenant, "user-a");

    [Fact]
    public async Task The_sequential_summary_starts_each_query_after_the_one_before_has_ended()
    {
        await PlaceOrdersAsync(paid: 4, declined: 1);
        using var recorder = new ActivityRecorder();

        var summary = await SummarizeAsync(SummaryQueries.Sequential);

        Assert.Equal(new TenantSummary(5, 4, 1, 4 * 19.00m, 5 * 2, summary.LastOrderAt), summary);
        var queries = ByStart(recorder.Queries);
        Assert.Equal(Summaries, queries.Count);
        Assert.All(queries.Zip(queries.Skip(1)), pair => Assert.True(End(pair.First) <= pair.Second.StartTimeUtc, "a query started before the one before it ended"));
    }

    [Fact]
    public async Task The_parallel_summary_has_all_its_queries_under_way_at_once_with_the_same_result()
    {
        await PlaceOrdersAsync(paid: 4, declined: 1);
        using var recorder = new ActivityRecorder();
        var sequential = await SummarizeAsync(SummaryQueries.Sequential);
        var sequentialStatements = recorder.Queries.Select(Statement).Order(StringComparer.Ordinal).ToList();
        recorder.Clear();
        // The pool gets a connection for each query first: a new connection's start-up waits behind the lock too, and
        // it is not what is measured.
        // One more than the queries: the connection that holds the lock comes from the same pool.
        var warm = await Task.WhenAll(Enumerable.Range(0, Summaries + 1).Select(async _ =>
        {
            var connection = new NpgsqlConnection(Api.ConnectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            return connection;
        }));
        foreach (var connection in warm)
        {
            await connection.DisposeAsync();
        }

        // Local queries take about a millisecond: held behind a lock on the table until all six wait there, they
        // cannot be under way at once by chance, only because they were sent at once.
        await using var locker = new NpgsqlConnection(Api.ConnectionString);
        await locker.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await locker.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockTable = new NpgsqlCommand("LOCK TABLE orders IN ACCESS EXCLUSIVE MODE", locker, transaction))
        {
            await lockTable.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var summarizing = SummarizeAsync(SummaryQueries.Parallel);
        var waiting = await WaitForQueriesWaitingOnALockAsync(locker, Summaries);
        await transaction.CommitAsync(TestContext.Current.CancellationToken);
        var parallel = await summarizing;

        Assert.Equal(Summaries, waiting);
        Assert.Equal(sequential, parallel);
        // The lock and the count of waiting queries are the test's own statements, not the summary's.
        var queries = ByStart(recorder.Queries.Where(query => query.Parent?.OperationName == OrdersTelemetry.Spans.SummarizeTenant));
        Assert.Equal(sequentialStatements, queries.Select(Statement).Order(StringComparer.Ordinal));
        Assert.True(queries[^1].StartTimeUtc < queries.Min(End), "a query started after another had ended");
    }

    [Fact]
    public async Task Looking_up_payments_per_order_calls_the_provider_once_for_each_paid_order()
    {
        var paid = await PlaceOrdersAsync(paid: 5, declined: 1);

        var page = await ListPaymentStatusesAsync(PaymentLookups.PerOrder);

        Assert.Equal(paid.Order(), Provider.Lookups.Select(uri => Guid.ParseExact(uri.AbsolutePath.Split("/pi_")[1], "N")).Order());
        Assert.All(Provider.Lookups, uri => Assert.Empty(uri.Query));
        AssertEveryPaidOrderSucceeded(page, paid);
    }

    [Fact]
    public async Task Looking_up_payments_in_a_batch_calls_the_provider_once_for_the_page()
    {
        var paid = await PlaceOrdersAsync(paid: 5, declined: 1);

        var page = await ListPaymentStatusesAsync(PaymentLookups.Batched);

        var lookup = Assert.Single(Provider.Lookups);
        Assert.Equal(paid.Select(FakePaymentProvider.PaymentIdFor).Order(), FakePaymentProvider.IdsOf(lookup).Order());
        AssertEveryPaidOrderSucceeded(page, paid);
    }

    [Fact]
    public async Task Exporting_without_paging_reads_every_order_in_one_query()
    {
        var placed = await PlaceOrdersAsync(paid: 5, declined: 0);
        using var recorder = new ActivityRecorder();

        var export = await ExportAsync(ExportPaging.None, after: null, pageSize: 2);

        Assert.Equal(placed.Order(), export.Orders.Select(order => order.Id).Order());
        Assert.Null(export.Next);
        Assert.Single(recorder.Queries);
    }

    [Fact]
    public async Task Exporting_in_keyset_pages_hands_out_every_order_once_a_bounded_page_per_query()
    {
        var placed = await PlaceOrdersAsync(paid: 5, declined: 0);
        using var recorder = new ActivityRecorder();

        var pages = new List<OrderExport>();
        Guid? after = null;
        do
        {
            var page = await ExportAsync(ExportPaging.Keyset, after, pageSize: 2);
            pages.Add(page);
            after = page.Next;
        }
        while (after is not null && pages.Count < 10);

        Assert.Equal([2, 2, 1], pages.Select(page => page.Orders.Count));
        Assert.Equal(placed, pages.SelectMany(page => page.Orders).Select(order => order.Id));
        Assert.Equal(pages.Count, recorder.Queries.Count);
    }

    private static void AssertEveryPaidOrderSucceeded(PaymentStatusPage page, IReadOnlyList<Guid> paid)
    {
        Assert.Null(page.Error);
        Assert.Equal(paid.Order(), page.Orders.Where(order => order.ProviderStatus == "succeeded").Select(order => order.OrderId).Order());
        Assert.All(page.Orders.Where(order => !paid.Contains(order.OrderId)), order => Assert.Null(order.ProviderStatus));
    }

    /// <returns>The paid orders' ids, oldest first.</returns>
    private async Task<IReadOnlyList<Guid>> PlaceOrdersAsync(int paid, int declined)
    {
        Provider.Answer = _ => ProviderAnswer.Charge;
        var placed = new List<Guid>();
        for (var i = 0; i < paid; i++)
        {
            placed.Add((await Api.PlaceOrderAsync(PaymentProcessing.Synchronous, Tenant)).Order.Id);
        }

        Provider.Answer = _ => ProviderAnswer.Decline;
        for (var i = 0; i < declined; i++)
        {
            await Api.PlaceOrderAsync(PaymentProcessing.Synchronous, Tenant);
        }

        Provider.Answer = _ => ProviderAnswer.Charge;

        return placed;
    }

    private Task<TenantSummary> SummarizeAsync(SummaryQueries queries) =>
        Api.InScopeAsync(scope => scope.GetRequiredService<TenantSummaries>().SummarizeAsync(Caller, queries, CancellationToken.None));

    private Task<PaymentStatusPage> ListPaymentStatusesAsync(PaymentLookups lookups) =>
        Api.InScopeAsync(scope => scope.GetRequiredService<OrderPaymentStatuses>().ListAsync(Caller, 1, 20, lookups, CancellationToken.None));

    private Task<OrderExport> ExportAsync(ExportPaging paging, Guid? after, int pageSize) =>
        Api.InScopeAsync(scope => scope.GetRequiredService<OrderExports>().ExportAsync(Caller, paging, after, pageSize, CancellationToken.None));

    /// <returns>How many of the database's queries wait for a lock, once <paramref name="expected"/> do or after 10 s.</returns>
    private static async Task<long> WaitForQueriesWaitingOnALockAsync(NpgsqlConnection connection, int expected)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        await using var count = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'", connection);
        while (true)
        {
            var waiting = (long)(await count.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            if (waiting >= expected || deadline.IsCancellationRequested)
            {
                return waiting;
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }
    }

    private static List<Activity> ByStart(IEnumerable<Activity> spans) => [.. spans.OrderBy(span => span.StartTimeUtc)];

    private static DateTime End(Activity span) => span.StartTimeUtc + span.Duration;

    private static string Statement(Activity query) => (string)query.GetTagItem("db.query.text")!;
}
