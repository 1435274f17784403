using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using OrdersTracing.AppHost.Faults;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Each fault of the catalogue, switched on through its service's control endpoint: the affected flow is driven once
/// and the fault's real mechanism is read back in the trace from the dashboard; switched off, the same flow is normal.
/// The provider's errors and time-outs are <see cref="PaymentProviderFaultTests"/>.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class FaultCatalogueTests(FaultsAppFixture fixture) : IAsyncLifetime
{
    private const string Api = FaultCatalogue.Services.Api;
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(600);

    public async ValueTask InitializeAsync()
    {
        await fixture.SwitchFaultsOffAsync();
        // Warm: a cold Api's first order spends its time compiling, which no fault here is about.
        using var api = fixture.CreateApiClient();
        await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous");
    }

    public async ValueTask DisposeAsync() => await fixture.SwitchFaultsOffAsync();

    [Fact]
    public async Task A_slow_provider_makes_the_providers_own_span_long()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.SlowProvider, FaultCatalogue.Services.Payments, Amount: Delay.TotalMilliseconds));
        var slow = ProviderServerSpan(await PlaceSynchronousOrderAsync());
        await fixture.SwitchFaultsOffAsync();
        var normal = ProviderServerSpan(await PlaceSynchronousOrderAsync());

        Assert.True(slow.Duration >= Delay, $"the provider answered in {slow.Duration.TotalMilliseconds:F0} ms");
        Assert.True(normal.Duration < Delay, $"with the fault off the provider took {normal.Duration.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task An_unreachable_provider_shows_as_refused_client_spans_one_per_retry_and_no_provider_span()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.ProviderUnreachable, Api));
        var (status, spans) = await PlaceSynchronousOrderWithStatusAsync(spans => PaymentAttempts(spans).Count >= 2);
        await fixture.SwitchFaultsOffAsync();
        var (normalStatus, normal) = await PlaceSynchronousOrderWithStatusAsync(spans => spans.Any(IsProviderServer));

        Assert.Equal(HttpStatusCode.BadGateway, status);
        var attempts = PaymentAttempts(spans);
        Assert.InRange(attempts.Count, 2, 4);
        Assert.All(attempts, attempt => Assert.Equal(TraceSpanStatus.Error, attempt.Status));
        Assert.All(attempts, attempt => Assert.Equal("127.0.0.1", attempt["server.address"]));
        Assert.DoesNotContain(spans, IsProviderServer);
        Assert.Equal(HttpStatusCode.Created, normalStatus);
        Assert.Single(PaymentAttempts(normal));
    }

    [Fact]
    public async Task A_slow_query_is_a_statement_span_as_long_as_the_fault_in_the_listings_trace()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.SlowQuery, Api, Target: "orders", Amount: Delay.TotalMilliseconds));
        var slow = await ListOrdersAsync("/api/orders");
        await fixture.SwitchFaultsOffAsync();
        var normal = await ListOrdersAsync("/api/orders");

        var sleep = Assert.Single(slow, span => Statement(span)?.Contains("pg_sleep", StringComparison.Ordinal) == true);
        Assert.True(sleep.Duration >= Delay, $"the slow statement took {sleep.Duration.TotalMilliseconds:F0} ms");
        Assert.Contains(slow, span => Statement(span)?.Contains("FROM orders", StringComparison.Ordinal) == true);
        Assert.DoesNotContain(normal, span => Statement(span)?.Contains("pg_sleep", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task A_missing_index_changes_the_plan_of_a_large_tenants_listing_and_the_index_comes_back_when_off()
    {
        var tenant = TestIds.Tenant();
        using (var admin = fixture.App.CreateHttpClient(Api, "http"))
        {
            using var seeded = await admin.PostAsync($"/api/admin/tenants/{tenant}/orders?count=100000", null, TestContext.Current.CancellationToken);
            seeded.EnsureSuccessStatusCode();
        }

        var indexed = await ListingQueryAsync(tenant);
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.MissingIndex, Api));
        var missingPlan = await ListingPlanAsync(tenant);
        var missing = await ListingQueryAsync(tenant);
        await fixture.SwitchFaultsOffAsync();
        var restoredPlan = await ListingPlanAsync(tenant);

        FaultLoad.Report("missing-index", $"a 100 000-order tenant's listing query: {indexed.Duration.TotalMilliseconds:F1} ms with the index, {missing.Duration.TotalMilliseconds:F1} ms without");
        Assert.DoesNotContain("ix_orders_tenant_id_created_at", missingPlan, StringComparison.Ordinal);
        Assert.Contains("Seq Scan", missingPlan, StringComparison.Ordinal);
        Assert.Contains("ix_orders_tenant_id_created_at", restoredPlan, StringComparison.Ordinal);
        Assert.True(missing.Duration > indexed.Duration * 2,
            $"the listing took {missing.Duration.TotalMilliseconds:F1} ms without the index, {indexed.Duration.TotalMilliseconds:F1} ms with it");
    }

    [Fact]
    public async Task A_row_lock_held_by_another_transaction_makes_the_orders_update_span_wait()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.RowLock, Api, Amount: Delay.TotalMilliseconds));
        var locked = UpdateOfOrder(await PlaceSynchronousOrderAsync(spans => spans.Any(IsUpdateOfOrder) && spans.Any(span => span.Name == "orders.record_payment")));
        await fixture.SwitchFaultsOffAsync();
        var normal = UpdateOfOrder(await PlaceSynchronousOrderAsync(spans => spans.Any(IsUpdateOfOrder) && spans.Any(span => span.Name == "orders.record_payment")));

        Assert.True(locked.Duration >= Delay * 0.9, $"the UPDATE waited {locked.Duration.TotalMilliseconds:F0} ms");
        Assert.True(normal.Duration < Delay / 2, $"with the fault off the UPDATE took {normal.Duration.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task An_exhausted_pool_makes_the_request_wait_outside_any_statement_until_a_connection_is_returned()
    {
        var tenant = TestIds.Tenant();
        var traceId = TestIds.NewTraceId();
        using var api = fixture.CreateApiClient();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.PoolExhausted, Api));

        var listing = ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, TestIds.User(), traceId: traceId);
        await Task.Delay(Delay * 2, TestContext.Current.CancellationToken);
        var waiting = !listing.IsCompleted;
        await fixture.SwitchFaultsOffAsync();
        using var response = await listing;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(IsApiServer) && spans.Any(span => Statement(span) is not null));

        Assert.True(waiting, "the listing did not wait for a connection");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var server = Assert.Single(spans, IsApiServer);
        var statement = Assert.Single(spans, span => Statement(span) is not null);
        Assert.True(server.Duration >= Delay * 2, $"the request took {server.Duration.TotalMilliseconds:F0} ms");
        Assert.True(statement.Duration < Delay, $"its statement took {statement.Duration.TotalMilliseconds:F0} ms");
        Assert.True(statement.Start - server.Start >= Delay * 2 - TimeSpan.FromMilliseconds(100), "the statement ran before the pool was released");
    }

    [Fact]
    public async Task The_n_plus_one_regression_loads_each_orders_items_with_a_query_of_its_own()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        for (var i = 0; i < 4; i++)
        {
            await ApiCalls.CreateOrderAsync(api, tenant, TestIds.User());
        }

        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.NPlusOne, Api));
        var naive = await ListOrdersAsync("/api/orders/with-items", tenant);
        await fixture.SwitchFaultsOffAsync();
        var eager = await ListOrdersAsync("/api/orders/with-items", tenant);

        Assert.Equal(1 + 4, naive.Count(span => Statement(span) is not null));
        Assert.Equal(1, eager.Count(span => Statement(span) is not null));
    }

    [Fact]
    public async Task Cpu_bound_work_in_the_api_is_the_server_spans_own_time_under_no_child()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.CpuBound, Api, Target: "POST /api/orders", Amount: Delay.TotalMilliseconds));
        var spinning = SelfTimeOfApiServer(await PlaceSynchronousOrderAsync());
        await fixture.SwitchFaultsOffAsync();
        var normal = SelfTimeOfApiServer(await PlaceSynchronousOrderAsync());

        Assert.True(spinning >= Delay, $"the Api's server span had {spinning.TotalMilliseconds:F0} ms of its own");
        Assert.True(normal < Delay / 2, $"with the fault off it had {normal.TotalMilliseconds:F0} ms of its own");
    }

    [Fact]
    public async Task A_slow_step_in_web_is_webs_own_time_before_it_calls_the_api()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.SlowWebStep, FaultCatalogue.Services.Web, Target: "GET /orders", Amount: Delay.TotalMilliseconds));
        var slow = await SelfTimeOfWebServerAsync(web);
        await fixture.SwitchFaultsOffAsync();
        var normal = await SelfTimeOfWebServerAsync(web);

        Assert.True(slow >= Delay, $"Web's server span had {slow.TotalMilliseconds:F0} ms of its own");
        Assert.True(normal < Delay / 2, $"with the fault off it had {normal.TotalMilliseconds:F0} ms of its own");
    }

    [Fact]
    public async Task An_exception_deep_in_the_api_fails_the_request_before_its_statement_runs()
    {
        using var api = fixture.CreateApiClient();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.DeepException, Api, Target: "orders"));
        var traceId = TestIds.NewTraceId();
        var failed = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous", traceId: traceId);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(IsApiServer) && spans.Any(span => span.Name == "orders.create"));
        await fixture.SwitchFaultsOffAsync();
        var normal = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous");

        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal(TraceSpanStatus.Error, Assert.Single(spans, IsApiServer).Status);
        Assert.DoesNotContain(spans, span => Statement(span)?.Contains("INSERT INTO orders", StringComparison.Ordinal) == true);
        Assert.Equal(HttpStatusCode.Created, normal.Status);
    }

    [Fact]
    public async Task With_the_database_down_the_api_answers_503_after_npgsqls_refused_connections_and_recovers_when_off()
    {
        using var api = fixture.CreateApiClient();
        var tenant = TestIds.Tenant();
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.DatabaseDown, Api));
        var traceId = TestIds.NewTraceId();
        using var down = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, TestIds.User(), traceId: traceId);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(IsApiServer));
        await fixture.SwitchFaultsOffAsync();
        using var up = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, TestIds.User());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
        Assert.NotNull(down.Headers.RetryAfter);
        Assert.Equal("503", Assert.Single(spans, IsApiServer)["http.response.status_code"]);
        Assert.DoesNotContain(spans, span => Statement(span) is not null);
        Assert.Equal(HttpStatusCode.OK, up.StatusCode);
    }

    [Fact]
    public async Task The_first_request_after_a_restart_spends_longer_in_the_api_than_the_next()
    {
        await fixture.StartApiAsync(KnownResourceCommands.RestartCommand);

        var first = OwnTimeOfApi(await PlaceSynchronousOrderAsync());
        var second = OwnTimeOfApi(await PlaceSynchronousOrderAsync());

        FaultLoad.Report("cold-start", $"after a restart: first order {first.TotalMilliseconds:F0} ms in the Api outside the provider's calls, the next {second.TotalMilliseconds:F0} ms");
        Assert.True(first > second * 1.5,
            $"the first order spent {first.TotalMilliseconds:F0} ms in the Api outside the provider's calls, the next {second.TotalMilliseconds:F0} ms");
    }

    [Fact]
    public async Task Two_faults_at_once_both_show_in_one_trace()
    {
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.CpuBound, Api, Target: "POST /api/orders", Amount: Delay.TotalMilliseconds));
        await fixture.SwitchOnAsync(new FaultSpec(FaultKind.SlowQuery, Api, Target: "orders", Amount: Delay.TotalMilliseconds));

        var spans = await PlaceSynchronousOrderAsync(spans => spans.Any(span => Statement(span)?.Contains("pg_sleep", StringComparison.Ordinal) == true));

        Assert.True(SelfTimeOfApiServer(spans) >= Delay);
        Assert.Contains(spans, span => Statement(span)?.Contains("pg_sleep", StringComparison.Ordinal) == true && span.Duration >= Delay);
    }

    [Fact]
    public async Task A_dashboard_command_toggles_its_fault_through_the_services_control_endpoint()
    {
        var on = await fixture.App.ResourceCommands.ExecuteCommandAsync(Api, FaultCommandExtensions.CommandName(FaultKind.NPlusOne), TestContext.Current.CancellationToken);
        var whileOn = await ActiveKindsAsync(Api);
        var off = await fixture.App.ResourceCommands.ExecuteCommandAsync(Api, FaultCommandExtensions.CommandName(FaultKind.NPlusOne), TestContext.Current.CancellationToken);
        var afterwards = await ActiveKindsAsync(Api);

        Assert.True(on.Success, on.Message);
        Assert.Equal("N+1 queries: on.", on.Message);
        Assert.True(off.Success, off.Message);
        Assert.Equal("N+1 queries: off.", off.Message);
        Assert.Equal([FaultKind.NPlusOne], whileOn);
        Assert.Empty(afterwards);
    }

    [Fact]
    public async Task A_fault_the_service_does_not_inject_or_with_bad_settings_is_refused_with_a_problem_naming_the_field()
    {
        using var web = fixture.App.CreateHttpClient(FaultCatalogue.Services.Web, "http");

        using var wrongService = await web.PutAsJsonAsync(FaultControlApi.Path, new FaultSpec(FaultKind.SlowQuery, Api, Amount: 100), TestContext.Current.CancellationToken);
        using var badAmount = await web.PutAsJsonAsync(FaultControlApi.Path, new FaultSpec(FaultKind.SlowWebStep, FaultCatalogue.Services.Web, Amount: -1), TestContext.Current.CancellationToken);
        using var unknown = await web.PostAsync($"{FaultControlApi.Path}/NoSuchFault/toggle", null, TestContext.Current.CancellationToken);

        await AssertProblemAsync(wrongService, "kind", "does not inject SlowQuery");
        await AssertProblemAsync(badAmount, "Amount", "1 to 30000 milliseconds");
        await AssertProblemAsync(unknown, "kind", "'NoSuchFault' is not a fault kind");
        Assert.Empty(await ActiveKindsAsync(FaultCatalogue.Services.Web));
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, string field, string message)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        var messages = errors.EnumerateObject().Single(error => string.Equals(error.Name, field, StringComparison.OrdinalIgnoreCase)).Value;
        Assert.Contains(message, messages[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<List<FaultKind>> ActiveKindsAsync(string service)
    {
        using var client = fixture.App.CreateHttpClient(service, "http");
        var active = await client.GetFromJsonAsync<List<FaultSpec>>(FaultControlApi.Path, TestContext.Current.CancellationToken);
        return [.. active!.Select(spec => spec.Kind)];
    }

    private async Task<IReadOnlyList<TraceSpan>> PlaceSynchronousOrderAsync(Func<IReadOnlyList<TraceSpan>, bool>? complete = null)
    {
        var (status, spans) = await PlaceSynchronousOrderWithStatusAsync(complete ?? (spans => spans.Any(IsProviderServer)));
        Assert.Equal(HttpStatusCode.Created, status);
        return spans;
    }

    private async Task<(HttpStatusCode Status, IReadOnlyList<TraceSpan> Spans)> PlaceSynchronousOrderWithStatusAsync(Func<IReadOnlyList<TraceSpan>, bool> complete)
    {
        using var api = fixture.CreateApiClient();
        var traceId = TestIds.NewTraceId();
        var order = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), payment: "Synchronous", traceId: traceId);
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(IsApiServer) && spans.Any(span => span.Name == "orders.create") && complete(spans));
        return (order.Status, spans);
    }

    private async Task<IReadOnlyList<TraceSpan>> ListOrdersAsync(string path, string? tenant = null)
    {
        using var api = fixture.CreateApiClient();
        var traceId = TestIds.NewTraceId();
        using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, path, tenant ?? TestIds.Tenant(), TestIds.User(), traceId: traceId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(IsApiServer) && spans.Any(span => span.Name.StartsWith("orders.list", StringComparison.Ordinal)));
    }

    /// <summary>The listing's query span, timed by Npgsql.</summary>
    private async Task<TraceSpan> ListingQueryAsync(string tenant)
    {
        var spans = await ListOrdersAsync("/api/orders", tenant);
        return Assert.Single(spans, span => Statement(span)?.Contains("FROM orders", StringComparison.Ordinal) == true);
    }

    private async Task<string> ListingPlanAsync(string tenant)
    {
        await using var db = await fixture.OpenDatabaseAsync();
        await using var explain = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT id FROM orders WHERE tenant_id = @tenant ORDER BY created_at DESC, id DESC LIMIT 21", db);
        explain.Parameters.AddWithValue("tenant", tenant);
        var lines = new List<string>();
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }

        return string.Join('\n', lines);
    }

    private async Task<TimeSpan> SelfTimeOfWebServerAsync(WebSession web)
    {
        var page = await web.GetAsync("/orders");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var spans = await fixture.Telemetry.WaitForTraceAsync(page.Marker("trace-id")!, spans =>
            spans.Any(span => span.Service == "web" && span.Kind == TraceSpanKind.Server) && spans.Any(IsApiServer));
        var server = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Server);
        return CriticalPath.Compute(spans).Timing(server).SelfTime;
    }

    private static TimeSpan SelfTimeOfApiServer(IReadOnlyList<TraceSpan> spans)
    {
        var server = Assert.Single(spans, IsApiServer);
        return CriticalPath.Compute(spans).Timing(server).SelfTime;
    }

    /// <summary>
    /// The order request's time less its calls to the provider: the stand-in's latency is the same for every order
    /// and would otherwise hide what the Api itself spent.
    /// </summary>
    private static TimeSpan OwnTimeOfApi(IReadOnlyList<TraceSpan> spans)
    {
        var server = Assert.Single(spans, IsApiServer);
        var calls = PaymentAttempts(spans).Where(attempt => IsWithin(attempt, server, spans)).ToList();
        Assert.NotEmpty(calls);
        return calls.Aggregate(server.Duration, (own, call) => own - call.Duration);
    }

    private static TraceSpan ProviderServerSpan(IReadOnlyList<TraceSpan> spans) => Assert.Single(spans, IsProviderServer);

    /// <summary>
    /// The order request's own UPDATE, as it records the payment; the provider's webhook, a descendant of the
    /// provider's span, may update the same order in the same trace.
    /// </summary>
    private static TraceSpan UpdateOfOrder(IReadOnlyList<TraceSpan> spans)
    {
        var create = Assert.Single(spans, span => span.Name == "orders.create");
        var record = Assert.Single(spans, span => span.Name == "orders.record_payment" && span.ParentSpanId == create.SpanId);
        return Assert.Single(spans, span => IsUpdateOfOrder(span) && IsWithin(span, record, spans));
    }

    private static bool IsWithin(TraceSpan span, TraceSpan ancestor, IReadOnlyList<TraceSpan> trace)
    {
        for (var current = span; current is not null; current = trace.FirstOrDefault(parent => parent.SpanId == current.ParentSpanId))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUpdateOfOrder(TraceSpan span) => Statement(span)?.StartsWith("UPDATE orders", StringComparison.Ordinal) == true;

    // The order request's own server span, not the provider's webhook that a synchronous payment brings into the same trace.
    private static bool IsApiServer(TraceSpan span) =>
        span.Service == Api && span.Kind == TraceSpanKind.Server && span["url.path"]?.StartsWith("/api/orders", StringComparison.Ordinal) == true;

    private static bool IsProviderServer(TraceSpan span) => span.Service == FaultCatalogue.Services.Payments && span.Kind == TraceSpanKind.Server;

    /// <summary>The Api's HTTP client spans to the provider: one per attempt it made, answered or not.</summary>
    private static List<TraceSpan> PaymentAttempts(IReadOnlyList<TraceSpan> spans) =>
        [.. spans.Where(span => span.Service == Api && span.Kind == TraceSpanKind.Client && span.Scope == "System.Net.Http")];

    private static string? Statement(TraceSpan span) => span.Scope == "Npgsql" ? span[SpanAttributes.DbQueryText] ?? span[SpanAttributes.DbStatement] : null;
}
