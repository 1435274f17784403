using System.Net;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class OrderTracingTests(OrdersAppFixture fixture)
{
    [Fact]
    public async Task Creating_an_order_through_web_produces_one_trace_from_web_through_api_into_postgres_and_the_payment_provider()
    {
        var (tenant, user) = (TestIds.Tenant(), TestIds.User());
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(tenant, user);

        var page = await web.PlaceOrderAsync("pm_card_visa", ("coffee-beans", 2, 9.50m), ("filter-papers", 1, 3.25m));
        var orderId = page.Url.Segments[^1];
        var traceId = page.Marker("created-trace-id")!;
        // Each service exports in its own batches, in the order its spans end: wait for the last span each service ends
        // for each request: the redirect's page in Web, the provider's webhook call (after its answer) in the stand-in,
        // and in the Api the create, its read for the redirect's page and the webhook, which may end in either order.
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "web" && span.Kind == TraceSpanKind.Server && span["url.path"] == $"/orders/{orderId}")
            && spans.Any(span => span.Service == "payments" && span.Kind == TraceSpanKind.Client)
            && spans.Any(span => IsApiServer(span, "/api/orders"))
            && spans.Any(span => IsApiServer(span, $"/api/orders/{orderId}"))
            && spans.Any(span => IsApiServer(span, "/api/payments/webhook")));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("paid", page.Marker("payment-status"));
        var byId = spans.ToDictionary(span => span.SpanId);
        var root = Assert.Single(spans, span => span.ParentSpanId is null);
        Assert.All(spans.Where(span => span != root), span => Assert.True(byId.ContainsKey(span.ParentSpanId!), $"orphan span: {span}"));

        Assert.Equal(("web", TraceSpanKind.Server), (root.Service, root.Kind));
        // The order page the POST redirects to continues this trace too (docs/front-end.md), with its own call to the Api.
        var webClient = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Client && span.ParentSpanId == root.SpanId);
        var apiServer = Assert.Single(spans, span => IsApiServer(span, "/api/orders"));
        var create = Assert.Single(spans, span => span.Name == "orders.create");
        var payment = Assert.Single(spans, span => span.Name == "payments.create_intent");
        var paymentClient = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Client && span.Scope == "System.Net.Http");
        var paymentServer = Assert.Single(spans, span => span.Service == "payments" && span.Kind == TraceSpanKind.Server);
        var database = spans.Where(span => span.Scope == "Npgsql").ToList();

        Assert.Equal(root.SpanId, webClient.ParentSpanId);
        Assert.Equal(webClient.SpanId, apiServer.ParentSpanId);
        Assert.Equal(apiServer.SpanId, create.ParentSpanId);
        Assert.Equal((orderId, user, tenant), (create["order.id"], create["user.id"], create["tenant.id"]));
        Assert.Equal("22.25", create["order.total"]);
        Assert.Equal(create.SpanId, payment.ParentSpanId);
        Assert.Equal(payment.SpanId, paymentClient.ParentSpanId);
        Assert.Equal(paymentClient.SpanId, paymentServer.ParentSpanId);
        Assert.StartsWith("pi_", payment["payment.id"]);
        Assert.Equal(payment["payment.id"], paymentServer["payment.id"]);

        // Every database span names the system under both names, the connection opens Npgsql traces too.
        Assert.All(database, span => Assert.Equal(("postgresql", "postgresql"), (span["db.system"], span["db.system.name"])));
        var statements = database.Select(span => span["db.query.text"]).OfType<string>().ToList();
        Assert.All(statements, statement =>
        {
            Assert.DoesNotContain(tenant, statement);
            Assert.DoesNotContain(user, statement);
            Assert.DoesNotContain(orderId, statement);
            Assert.DoesNotContain("coffee-beans", statement);
        });
        Assert.Contains(statements, statement => statement.StartsWith("INSERT INTO orders", StringComparison.Ordinal));
        Assert.Contains(statements, statement => statement.StartsWith("UPDATE orders", StringComparison.Ordinal));

        Assert.All(spans, span =>
        {
            Assert.False(string.IsNullOrEmpty(span.Resource.GetValueOrDefault("service.version")), $"no service.version: {span}");
            Assert.Equal("development", span.Resource.GetValueOrDefault("deployment.environment"));
        });
        Assert.Equal(["api", "payments", "web"], spans.Select(span => span.Service).Distinct().Order());
    }

    [Fact]
    public async Task Every_span_carrying_the_order_id_belongs_to_the_one_trace_that_created_the_order()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());

        var page = await web.PlaceOrderAsync("pm_card_visa", ("tea", 1, 4.00m));
        var orderId = page.Url.Segments[^1];
        var traceId = page.Marker("created-trace-id")!;
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Name == "orders.create"));
        var spans = await fixture.Telemetry.WaitForSpansAsync(spans => spans.Any(span => span.TraceId == traceId));

        var creating = spans.Where(span => span["order.id"] == orderId && span.Name != "orders.get").ToList();
        Assert.NotEmpty(creating);
        Assert.All(creating, span => Assert.Equal(traceId, span.TraceId));
    }

    [Fact]
    public async Task A_callers_traceparent_becomes_a_link_of_a_new_trace_that_web_continues_into_the_api()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());
        var (callerTraceId, callerSpanId) = (TestIds.NewTraceId(), TestIds.NewSpanId());

        var page = await web.GetAsync("/orders", ("traceparent", $"00-{callerTraceId}-{callerSpanId}-01"));
        var traceId = page.Marker("trace-id")!;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans =>
            spans.Any(span => span.Service == "web" && span.Kind == TraceSpanKind.Server) && spans.Any(span => span.Service == "api" && span.Kind == TraceSpanKind.Server));

        // The test calls from loopback, which Web does not trust by default: the caller cannot pick the trace id.
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.NotEqual(callerTraceId, traceId);
        var webServer = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Server);
        Assert.Null(webServer.ParentSpanId);
        Assert.Equal(new TraceSpanLink(callerTraceId, callerSpanId), Assert.Single(webServer.Links));
        var webClient = Assert.Single(spans, span => span.Service == "web" && span.Kind == TraceSpanKind.Client);
        var apiServer = Assert.Single(spans, span => span.Service == "api" && span.Kind == TraceSpanKind.Server);
        Assert.Equal(webServer.SpanId, webClient.ParentSpanId);
        Assert.Equal(webClient.SpanId, apiServer.ParentSpanId);
    }

    [Fact]
    public async Task A_declined_card_keeps_the_order_as_payment_failed_tells_the_user_and_marks_the_span_failed()
    {
        using var web = fixture.CreateWebSession();
        await web.SignInAsync(TestIds.Tenant(), TestIds.User());

        var page = await web.PlaceOrderAsync("pm_card_chargeDeclined", ("coffee-beans", 1, 9.50m));
        var failedOrderId = page.Marker("failed-order-id");
        var traceId = page.Marker("trace-id")!;
        var spans = await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Name == "orders.create"));
        var stored = await web.GetAsync($"/orders/{failedOrderId}");

        Assert.Equal(HttpStatusCode.PaymentRequired, page.Status);
        Assert.Contains("The payment was declined.", page.Text);
        Assert.Contains("Your card was declined.", page.Text);
        Assert.NotNull(failedOrderId);
        Assert.Equal("payment_failed", stored.Marker("payment-status"));
        var create = Assert.Single(spans, span => span.Name == "orders.create");
        Assert.Equal(TraceSpanStatus.Error, create.Status);
        Assert.Contains(create.Events, e => e.Name == "exception" && e.Attributes["exception.type"].EndsWith("PaymentFailedException", StringComparison.Ordinal));
        Assert.Equal(failedOrderId, create["order.id"]);
    }

    private static bool IsApiServer(TraceSpan span, string path) =>
        span.Service == "api" && span.Kind == TraceSpanKind.Server && span["url.path"] == path;
}
