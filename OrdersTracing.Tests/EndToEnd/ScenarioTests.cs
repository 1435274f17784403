using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The reference design's problems and their fixes, side by side on the same running system.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class ScenarioTests(OrdersAppFixture fixture)
{
    private const int Orders = 6;

    /// <summary>The six independent aggregates of the tenant summary.</summary>
    private const int SummaryQueries = 6;

    [Fact]
    public async Task The_naive_listing_loads_each_orders_items_with_its_own_query()
    {
        using var api = fixture.CreateApiClient();
        var tenant = await TenantWithOrdersAsync(api);
        var traceId = TestIds.NewTraceId();

        using var response = await SendAsync(api, "/api/orders/with-items?loading=Naive", tenant, traceId);
        // The Api's server span ends last of the request's spans, and carries the live detectors' marks.
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Orders, await CountItemsOfEachOrderAsync(response));
        var listing = Assert.Single(spans, span => span.Name == "orders.list_with_items");
        var queries = spans.Where(span => IsQuery(span) && span.ParentSpanId == listing.SpanId).ToList();
        Assert.Equal(1 + Orders, queries.Count);
        Assert.Single(queries.Select(query => query["db.query.text"]).Skip(1).Distinct());
        var root = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Server);
        Assert.Equal(("true", $"{Orders}"), (root["n_plus_one.detected"], root["n_plus_one.count"]));
        Assert.Equal(SqlNormalizer.Normalize(queries[^1]["db.query.text"]), root["n_plus_one.statement"]);
        var live = Assert.Single(StoredTraceDetection.LiveFindings(spans), finding => finding.Kind == FindingKind.NPlusOneDb);
        var found = Assert.Single(
            StoredTraceDetection.Find(spans, new DetectionThresholds { MinimumTotalDuration = TimeSpan.Zero }), finding => finding.Kind == FindingKind.NPlusOneDb);
        Assert.Equal((Orders, Orders), (live.Count, found.Count));
        Assert.Equal(live.EvidenceSpanIds, found.EvidenceSpanIds);
    }

    [Fact]
    public async Task The_fixed_listing_loads_orders_and_items_with_one_query()
    {
        using var api = fixture.CreateApiClient();
        var tenant = await TenantWithOrdersAsync(api);
        var traceId = TestIds.NewTraceId();

        using var response = await SendAsync(api, "/api/orders/with-items?loading=Eager", tenant, traceId);
        // The Api's server span ends last of the request's spans, and carries the live detectors' marks.
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Orders, await CountItemsOfEachOrderAsync(response));
        Assert.Single(spans, IsQuery);
        Assert.DoesNotContain(spans, span => span["n_plus_one.detected"] is not null);
    }

    [Fact]
    public async Task A_synchronous_payment_to_a_slow_provider_dominates_the_critical_path()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, traceId) = (TestIds.Tenant(), TestIds.NewTraceId());
        // The first order through a cold process spends its time compiling, not waiting for the provider.
        await ApiCalls.CreateOrderAsync(api, tenant, TestIds.User());

        using var created = await SendAsync(api, "/api/orders?payment=Synchronous", tenant, traceId, HttpMethod.Post,
            JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } }));
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server)
            && spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server && span["url.path"] == "/api/orders"));
        var path = CriticalPath.Compute(spans);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(("api", TraceSpanKind.Server), (path.Root.Service, path.Root.Kind));
        var payment = Assert.Single(spans, span => span.Name == "payments.create_intent");
        var paymentOnPath = path.Sections.Where(section => IsWithin(section.Span, payment, spans)).Sum(section => section.Duration.TotalMilliseconds);
        var share = paymentOnPath / path.Root.Duration.TotalMilliseconds;
        Assert.True(share >= 0.5, $"the payment holds {share:P0} of the request");
        var cause = Diagnoser.Diagnose(spans, OrdersAppFixture.ScenarioThresholds)[0];
        Assert.Equal((CauseKind.SlowDependency, "payments", null), (cause.Kind, cause.Service, cause.Remedy));
    }

    [Fact]
    public async Task A_background_payment_leaves_the_request_trace_and_links_its_own_trace_back_to_it()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, traceId) = (TestIds.Tenant(), TestIds.NewTraceId());

        using var created = await SendAsync(api, "/api/orders?payment=Background", tenant, traceId, HttpMethod.Post,
            JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } }));
        var order = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var orderId = order.GetProperty("id").GetString()!;
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans => spans.Any(span => span.Name == "payments.process" && span["order.id"] == orderId));
        var worker = Assert.Single(spans, span => span.Name == "payments.process" && span["order.id"] == orderId);
        var request = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Name == "orders.create"));
        var payment = await fixture.Telemetry.WaitForTraceAsync(worker.TraceId, spans =>
            spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server) && spans.Any(span => span.Name == "orders.record_payment"));
        var paid = await WaitForPaymentStatusAsync(api, tenant, orderId);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("pending", order.GetProperty("paymentStatus").GetString());
        Assert.DoesNotContain(request, span => span.Service == "payments" || span.Name == "payments.create_intent");
        Assert.NotEqual(traceId, worker.TraceId);
        var link = Assert.Single(worker.Links);
        Assert.Equal(traceId, link.TraceId);
        Assert.Contains(request, span => span.SpanId == link.SpanId);
        Assert.Contains(payment, span => span.Name == "payments.create_intent" && span.ParentSpanId == worker.SpanId);
        Assert.Equal("paid", paid);
    }

    [Fact]
    public async Task The_payment_providers_signed_webhook_is_received_and_traced()
    {
        using var api = fixture.CreateApiClient();
        var (tenant, traceId) = (TestIds.Tenant(), TestIds.NewTraceId());

        using var created = await SendAsync(api, "/api/orders?payment=Synchronous", tenant, traceId, HttpMethod.Post,
            JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } } }));
        var orderId = (await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString();
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server && span["url.path"] == "/api/payments/webhook")
            && spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Client));

        var webhook = Assert.Single(spans, span => span.Name == "payments.webhook");
        Assert.Equal(orderId, webhook["order.id"]);
        Assert.StartsWith("pi_", webhook["payment.id"]);
        Assert.Equal("Paid", webhook["payment.status"]);
        var callback = Assert.Single(spans, span => span.Service == "payments" && span.Kind == TraceSpanKind.Client);
        Assert.Equal(callback.SpanId, spans.Single(span => span.SpanId == webhook.ParentSpanId).ParentSpanId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("t=1,v1=0000")]
    [InlineData("t=99999999999999,v1=0000")]
    public async Task A_webhook_without_a_valid_signature_is_refused(string? signature)
    {
        using var api = fixture.CreateApiClient();
        var forged = new { type = "payment_intent.succeeded", data = new { @object = new { id = "pi_forged", metadata = new { order_id = Guid.NewGuid().ToString(), tenant_id = "acme" } } } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhook") { Content = JsonContent.Create(forged) };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_sequential_summary_queries_one_after_another_and_the_parallel_one_at_once()
    {
        using var api = fixture.CreateApiClient();
        var tenant = await TenantWithOrdersAsync(api);
        var (sequentialTrace, parallelTrace) = (TestIds.NewTraceId(), TestIds.NewTraceId());

        using var sequential = await SendAsync(api, "/api/orders/summary?queries=Sequential", tenant, sequentialTrace);
        using var parallel = await SendAsync(api, "/api/orders/summary?queries=Parallel", tenant, parallelTrace);
        var sequentialQueries = await QueriesUnderAsync(sequentialTrace, "orders.summarize", SummaryQueries);
        var parallelQueries = await QueriesUnderAsync(parallelTrace, "orders.summarize", SummaryQueries);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (sequential.StatusCode, parallel.StatusCode));
        Assert.Equal(Orders, (await sequential.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("orders").GetInt32());
        Assert.Equal(await sequential.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await parallel.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.All(sequentialQueries.Zip(sequentialQueries.Skip(1)), pair => Assert.True(pair.First.End <= pair.Second.Start, $"{pair.Second} started before {pair.First} ended"));
        // Whether six one-millisecond queries overlap is up to the machine's load; that they are sent at once is pinned
        // by Tests/Api/ScenarioTests, behind a lock.
        Assert.Equal(SummaryQueries, parallelQueries.Count);
        Report("summary", sequentialQueries, parallelQueries);
    }

    [Fact]
    public async Task Payment_statuses_per_order_call_the_provider_once_per_order_and_batched_once_for_the_page()
    {
        using var api = fixture.CreateApiClient();
        var tenant = await TenantWithOrdersAsync(api);
        var (perOrderTrace, batchedTrace) = (TestIds.NewTraceId(), TestIds.NewTraceId());

        using var perOrder = await SendAsync(api, "/api/orders/payment-statuses?lookups=PerOrder", tenant, perOrderTrace);
        using var batched = await SendAsync(api, "/api/orders/payment-statuses?lookups=Batched", tenant, batchedTrace);
        var perOrderCalls = await ProviderCallsAsync(perOrderTrace, Orders);
        var batchedCalls = await ProviderCallsAsync(batchedTrace, 1);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (perOrder.StatusCode, batched.StatusCode));
        Assert.Equal(Orders, await CountSucceededAsync(perOrder));
        Assert.Equal(Orders, await CountSucceededAsync(batched));
        Assert.Equal(Orders, perOrderCalls.Count);
        Assert.Single(batchedCalls);
        Assert.Equal(Orders, perOrderCalls.Select(call => call["url.full"]).Distinct().Count());
        Report("payment statuses", perOrderCalls, batchedCalls);
    }

    [Fact]
    public async Task The_export_in_one_response_holds_every_order_and_keyset_pages_hold_a_bounded_part()
    {
        using var api = fixture.CreateApiClient();
        var tenant = await TenantWithOrdersAsync(api);
        const int pageSize = 4;
        var (allTrace, firstPageTrace) = (TestIds.NewTraceId(), TestIds.NewTraceId());

        using var all = await SendAsync(api, "/api/orders/export?paging=None", tenant, allTrace);
        using var firstPage = await SendAsync(api, $"/api/orders/export?paging=Keyset&pageSize={pageSize}", tenant, firstPageTrace);
        var allBody = await all.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var firstBody = await firstPage.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var lastPage = await SendAsync(api, $"/api/orders/export?paging=Keyset&pageSize={pageSize}&after={firstBody.GetProperty("next").GetString()}", tenant, TestIds.NewTraceId());
        var lastBody = await lastPage.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var allQueries = await QueriesUnderAsync(allTrace, "orders.export", 1);
        var pageQueries = await QueriesUnderAsync(firstPageTrace, "orders.export", 1);

        Assert.Equal((Orders, JsonValueKind.Null), (allBody.GetProperty("orders").GetArrayLength(), allBody.GetProperty("next").ValueKind));
        Assert.Equal(pageSize, firstBody.GetProperty("orders").GetArrayLength());
        Assert.Equal((Orders - pageSize, JsonValueKind.Null), (lastBody.GetProperty("orders").GetArrayLength(), lastBody.GetProperty("next").ValueKind));
        Assert.Equal(
            allBody.GetProperty("orders").EnumerateArray().Select(order => order.GetProperty("id").GetString()),
            firstBody.GetProperty("orders").EnumerateArray().Concat(lastBody.GetProperty("orders").EnumerateArray()).Select(order => order.GetProperty("id").GetString()));
        Assert.Equal((1, 1), (allQueries.Count, pageQueries.Count));
        var (allBytes, pageBytes) = ((await all.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length,
            (await firstPage.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)).Length);
        TestContext.Current.TestOutputHelper?.WriteLine($"export: one response of {allBytes} B for {Orders} orders; a page of {pageSize}: {pageBytes} B");
        Report("export", allQueries, pageQueries);
    }

    [Theory]
    [InlineData("/api/orders/with-items?loading=Naive", "/api/orders/with-items?loading=Eager", FindingKind.NPlusOneDb)]
    [InlineData("/api/orders/payment-statuses?lookups=PerOrder", "/api/orders/payment-statuses?lookups=Batched", FindingKind.NPlusOneHttp)]
    [InlineData("/api/orders/export?paging=None", "/api/orders/export?paging=Keyset&pageSize=2", FindingKind.LargeHttpPayload)]
    [InlineData("/api/orders/form?queries=Sequential", "/api/orders/form?queries=Batched", FindingKind.ConsecutiveDb)]
    [InlineData("/api/orders/{order}/payment?calls=Sequential", "/api/orders/{order}/payment?calls=Parallel", FindingKind.ConsecutiveHttp)]
    [InlineData("/api/orders/daily-report?filter=DateParts", "/api/orders/daily-report?filter=Range", FindingKind.SlowDbQuery)]
    [InlineData("/api/orders/payment-attempts?loading=PerOrder", "/api/orders/payment-attempts?loading=PerPage", FindingKind.MNPlusOneDb)]
    public async Task A_scenarios_problem_is_marked_on_the_live_root_span_and_found_by_the_trace_doctor_and_its_fix_is_not(
        string problemPath, string fixPath, FindingKind kind)
    {
        using var api = fixture.CreateApiClient();
        var (tenant, order) = await DetectorScenarios.TenantAsync(api, kind);
        var (problemTrace, fixTrace) = (TestIds.NewTraceId(), TestIds.NewTraceId());

        using var problem = await SendAsync(api, DetectorScenarios.Path(problemPath, order), tenant, problemTrace);
        using var fix = await SendAsync(api, DetectorScenarios.Path(fixPath, order), tenant, fixTrace);
        var (problemRoot, problemFindings, problemSpans) = await AnalyseAsync(problemTrace);
        var (fixRoot, fixFindings, fixSpans) = await AnalyseAsync(fixTrace);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (problem.StatusCode, fix.StatusCode));
        if (kind is FindingKind.ConsecutiveDb or FindingKind.ConsecutiveHttp or FindingKind.SlowDbQuery or FindingKind.MNPlusOneDb)
        {
            Assert.Equal(await problem.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), await fix.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var name = FindingEvents.Name(kind);
        Assert.Equal("true", problemRoot[FindingEvents.Detected]);
        Assert.Contains(name, problemRoot[FindingEvents.Kinds] ?? string.Empty, StringComparison.Ordinal);
        var found = problemFindings.First(finding => finding.Kind == kind && finding.Service == "api");
        Assert.DoesNotContain(name, fixRoot[FindingEvents.Kinds] ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(fixFindings, finding => finding.Kind == kind);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"FIGURES {name} {problemPath} vs {fixPath}: problem {DetectorScenarios.Describe(problemRoot, problemSpans)}, "
            + $"finding x{found.Count} {found.TotalDuration.TotalMilliseconds:F1} ms, saved {found.TimeSaved?.TotalMilliseconds.ToString("F1", System.Globalization.CultureInfo.InvariantCulture) ?? "-"} ms; "
            + $"fix {DetectorScenarios.Describe(fixRoot, fixSpans)}, kinds {fixRoot[FindingEvents.Kinds] ?? "none"}");
    }

    [Theory]
    [InlineData("/api/orders/export?pageSize=0")]
    [InlineData("/api/orders/export?pageSize=101")]
    [InlineData("/api/orders/export?after=not-a-cursor")]
    [InlineData("/api/orders/payment-statuses?pageSize=0")]
    [InlineData("/api/orders/payment-statuses?lookups=Sometimes")]
    [InlineData("/api/orders/summary?queries=Sometimes")]
    [InlineData("/api/orders/form?queries=Sometimes")]
    [InlineData("/api/orders/daily-report?filter=Sometimes")]
    [InlineData("/api/orders/daily-report?day=yesterday")]
    [InlineData("/api/orders/payment-attempts?pageSize=0")]
    [InlineData("/api/orders/payment-attempts?loading=Sometimes")]
    [InlineData("/api/orders/0191f1a0-0000-7000-8000-000000000000/payment?calls=Sometimes")]
    public async Task A_scenario_with_bad_input_is_refused_with_a_problem(string path)
    {
        using var api = fixture.CreateApiClient();

        using var response = await SendAsync(api, path, TestIds.Tenant(), TestIds.NewTraceId());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task The_payment_details_of_another_tenants_order_are_not_found()
    {
        using var api = fixture.CreateApiClient();
        var order = await ApiCalls.CreateOrderAsync(api, TestIds.Tenant(), TestIds.User());

        using var response = await SendAsync(api, $"/api/orders/{order}/payment", TestIds.Tenant(), TestIds.NewTraceId());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>
    /// The Api's local root span, once the detectors have had the whole request (the root ends last), and the Trace
    /// doctor's findings for the stored trace with the thresholds the running services were given.
    /// </summary>
    private async Task<(TraceSpan Root, IReadOnlyList<Finding> Findings, IReadOnlyList<TraceSpan> Spans)> AnalyseAsync(string traceId)
    {
        static bool IsApiRoot(TraceSpan span) => span.Service == "api" && span.Kind == TraceSpanKind.Server;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(IsApiRoot) && spans.Any(span => span.Service == "api" && span.Scope == "Npgsql"));
        return (Assert.Single(spans, IsApiRoot), Findings.Of(CriticalPath.Compute(spans), spans, OrdersAppFixture.ScenarioThresholds), spans);
    }

    private async Task<List<TraceSpan>> QueriesUnderAsync(string traceId, string spanName, int count)
    {
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Name == spanName) && spans.Count(IsQuery) >= count);
        var parent = Assert.Single(spans, span => span.Name == spanName);
        return [.. spans.Where(span => IsQuery(span) && IsWithin(span, parent, spans)).OrderBy(span => span.Start)];
    }

    /// <summary>The Api's calls to the payment provider, as its HttpClient traced them.</summary>
    private async Task<List<TraceSpan>> ProviderCallsAsync(string traceId, int count)
    {
        static bool IsProviderCall(TraceSpan span) =>
            span.Service == "api" && span.Kind == TraceSpanKind.Client && span["url.full"]?.Contains("/payment_intents", StringComparison.Ordinal) == true;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Name == "orders.list_payment_statuses") && spans.Count(IsProviderCall) >= count
            && spans.Count(span => span.Service == "payments" && span.Kind == TraceSpanKind.Server) >= count);
        return [.. spans.Where(IsProviderCall).OrderBy(span => span.Start)];
    }

    private static async Task<int> CountSucceededAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return page.GetProperty("orders").EnumerateArray().Count(order => order.GetProperty("providerStatus").GetString() == "succeeded");
    }

    /// <summary>The counts and times that the scenario's documentation quotes, in the test's output.</summary>
    private static void Report(string scenario, IReadOnlyList<TraceSpan> problem, IReadOnlyList<TraceSpan> fix)
    {
        static string Describe(IReadOnlyList<TraceSpan> spans) =>
            $"{spans.Count} spans, {spans.Sum(span => span.Duration.TotalMilliseconds):F1} ms in all, {(spans.Max(span => span.End) - spans.Min(span => span.Start)).TotalMilliseconds:F1} ms from first start to last end";
        TestContext.Current.TestOutputHelper?.WriteLine($"{scenario}: problem {Describe(problem)}; fix {Describe(fix)}");
    }

    /// <summary>A statement Npgsql ran; a connection open is an Npgsql span too, with no statement.</summary>
    private static bool IsQuery(TraceSpan span) => span.Scope == "Npgsql" && span["db.query.text"] is not null;

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

    private async Task<string> TenantWithOrdersAsync(HttpClient api)
    {
        var tenant = TestIds.Tenant();
        for (var i = 0; i < Orders; i++)
        {
            await ApiCalls.CreateOrderAsync(api, tenant, TestIds.User());
        }

        return tenant;
    }

    private static Task<HttpResponseMessage> SendAsync(
        HttpClient api, string path, string tenant, string traceId, HttpMethod? method = null, HttpContent? content = null) =>
        ApiCalls.SendAsync(api, method ?? HttpMethod.Get, path, tenant, TestIds.User(), content, traceId);

    private static async Task<int> CountItemsOfEachOrderAsync(HttpResponseMessage response)
    {
        var page = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return page.GetProperty("orders").EnumerateArray().Count(order => order.GetProperty("items").GetArrayLength() == 1);
    }

    private static async Task<string?> WaitForPaymentStatusAsync(HttpClient api, string tenant, string orderId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders/{orderId}", tenant, TestIds.User());
            var status = (await response.Content.ReadFromJsonAsync<JsonElement>(deadline.Token)).GetProperty("paymentStatus").GetString();
            if (status != "pending")
            {
                return status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token);
        }
    }
}
