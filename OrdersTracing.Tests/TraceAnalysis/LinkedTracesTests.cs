using OrdersTracing.Api.Orders;
using OrdersTracing.Api.Telemetry;
using OrdersTracing.ServiceDefaults.Telemetry;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

/// <summary>An order request and its background payments, each payment a trace of its own that links back to the request.</summary>
public sealed class LinkedTracesTests
{
    private const string OrderId = "0199a0c2-0000-7000-8000-000000000001";

    [Fact]
    public void A_payment_trace_links_to_the_order_request_and_to_nothing_else()
    {
        var (request, placed) = OrderRequest(OrderId);
        var payment = Payment(placed, OrderId, "Paid", startMs: 900);

        Assert.Equal([request[0].TraceId], LinkedTraces.LinkedTo(payment));
        Assert.Empty(LinkedTraces.LinkedTo(request));
    }

    [Fact]
    public void The_traces_linking_to_a_request_are_found_among_others_oldest_first_and_the_request_itself_is_not_one()
    {
        var (request, placed) = OrderRequest(OrderId);
        var (otherRequest, otherPlaced) = OrderRequest("0199a0c2-0000-7000-8000-000000000002");
        var retried = Payment(placed, OrderId, OrdersTelemetry.PaymentStatuses.RetryLater, startMs: 700);
        var paid = Payment(placed, OrderId, "Paid", startMs: 1_900);
        var paymentOfAnother = Payment(otherPlaced, "0199a0c2-0000-7000-8000-000000000002", "Paid", startMs: 800);

        var linking = LinkedTraces.LinkingTo(request[0].TraceId, [paid, request, paymentOfAnother, otherRequest, retried]);

        Assert.Equal([retried[0].TraceId, paid[0].TraceId], linking.Select(trace => trace[0].TraceId));
    }

    [Fact]
    public void A_link_within_the_trace_itself_is_neither_a_link_to_another_trace_nor_one_from_it()
    {
        var trace = new TraceBuilder();
        var root = trace.Span("GET /orders", 0, 50, service: "web", kind: TraceSpanKind.Server);
        var child = trace.Span("render", 10, 20, root);
        IReadOnlyList<TraceSpan> selfLinked = [root, child with { Links = [new TraceSpanLink(root.TraceId, root.SpanId)] }];

        Assert.Empty(LinkedTraces.LinkedTo(selfLinked));
        Assert.Empty(LinkedTraces.LinkingTo(root.TraceId, [selfLinked]));
    }

    [Fact]
    public void Placed_to_paid_runs_from_the_placing_span_to_the_recording_of_the_charge_in_the_attempt_that_paid()
    {
        var (request, placed) = OrderRequest(OrderId);
        var retried = Payment(placed, OrderId, OrdersTelemetry.PaymentStatuses.RetryLater, startMs: 700);
        var paid = Payment(placed, OrderId, "Paid", startMs: 1_900);

        var order = Assert.Single(PlacedToPaid.Of([request, retried, paid]));

        Assert.Equal(OrderId, order.OrderId);
        Assert.Equal(placed.SpanId, order.Placed.SpanId);
        Assert.Equal([retried[0].SpanId, paid[0].SpanId], order.Attempts.Select(attempt => attempt.SpanId));
        var recording = Assert.Single(paid, span => span.Name == PlacedToPaid.RecordPaymentSpan);
        Assert.Equal(recording.SpanId, order.Paid?.SpanId);
        // Placed at 20 ms; the paying attempt starts at 1 900 ms and records from 60 to 75 ms into it.
        Assert.Equal(TimeSpan.FromMilliseconds(1_900 + 75 - 20), order.Duration);
        Assert.Equal("Paid", order.LastStatus);
    }

    [Fact]
    public void Placed_to_paid_ends_at_the_providers_webhook_when_it_recorded_the_charge_before_the_worker_did()
    {
        var (request, placed) = OrderRequest(OrderId);
        var paid = Payment(placed, OrderId, "Paid", startMs: 400, webhookRecordsAtMs: 40);

        var order = Assert.Single(PlacedToPaid.Of([request, paid]));

        var webhook = Assert.Single(paid, span => span.Name == "payments.webhook");
        Assert.Equal(webhook.SpanId, order.Paid?.ParentSpanId);
        // The webhook's recording runs from 40 to 50 ms into the attempt, before the worker's ends at 75 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(400 + 50 - 20), order.Duration);
    }

    [Fact]
    public void Placed_to_paid_is_the_same_seen_from_the_payments_trace_with_only_the_request_beside_it()
    {
        var (request, placed) = OrderRequest(OrderId);
        var paid = Payment(placed, OrderId, "Paid", startMs: 400);

        var fromRequest = Assert.Single(PlacedToPaid.Of([request, paid]));
        var fromPayment = Assert.Single(PlacedToPaid.Of([paid, request]));

        Assert.Equal(TimeSpan.FromMilliseconds(400 + 75 - 20), fromRequest.Duration);
        Assert.Equal(fromRequest.Duration, fromPayment.Duration);
    }

    [Fact]
    public void An_order_whose_attempts_failed_or_wait_for_a_retry_has_attempts_and_no_paid_time()
    {
        var (request, placed) = OrderRequest(OrderId);
        var declined = Payment(placed, OrderId, "PaymentFailed", startMs: 300);

        var order = Assert.Single(PlacedToPaid.Of([request, declined]));

        Assert.Null(order.Paid);
        Assert.Null(order.Duration);
        Assert.Equal("PaymentFailed", order.LastStatus);
    }

    [Fact]
    public void A_link_to_a_span_of_another_order_or_to_a_trace_not_held_makes_no_order()
    {
        var (request, placed) = OrderRequest(OrderId);
        var (_, notHeld) = OrderRequest(OrderId);
        var otherOrder = Payment(placed, "0199a0c2-0000-7000-8000-000000000009", "Paid", startMs: 300);
        var missingRequest = Payment(notHeld, OrderId, "Paid", startMs: 300);

        Assert.Empty(PlacedToPaid.Of([request, otherOrder, missingRequest]));
    }

    [Fact]
    public void The_names_it_reads_are_the_ones_the_api_writes()
    {
        Assert.Equal(TelemetryTags.OrderId, PlacedToPaid.OrderIdAttribute);
        Assert.Equal(TelemetryTags.PaymentStatus, PlacedToPaid.PaymentStatusAttribute);
        Assert.Equal(PlacedToPaid.PaidStatus, PaymentStatus.Paid.ToString());
        Assert.Equal(OrdersTelemetry.Spans.RecordPayment, PlacedToPaid.RecordPaymentSpan);
    }

    /// <summary>Web's POST, the Api's server span and its <c>orders.create</c> at 20 ms (the span a payment links to).</summary>
    private static (IReadOnlyList<TraceSpan> Trace, TraceSpan Placed) OrderRequest(string orderId)
    {
        var trace = new TraceBuilder();
        var web = trace.Span("POST /orders/new", 0, 60, service: "web", kind: TraceSpanKind.Server);
        var api = trace.Span("POST /api/orders", 10, 40, web, service: "api", kind: TraceSpanKind.Server);
        var placed = trace.Span("orders.create", 20, 25, api, attributes: [("order.id", orderId)]);
        trace.Query("INSERT INTO orders (id) VALUES ($1)", 25, 5, placed);
        return (trace.Spans, placed);
    }

    /// <summary>
    /// The outbox worker's trace for one attempt starting at <paramref name="startMs"/>: <c>payments.process</c> linking to
    /// <paramref name="placed"/>, the provider's call, and the recording of its answer from 60 to 75 ms into the attempt;
    /// with <paramref name="webhookRecordsAtMs"/>, the provider's webhook under its server span records the charge then, for 10 ms.
    /// </summary>
    private static IReadOnlyList<TraceSpan> Payment(TraceSpan placed, string orderId, string status, double startMs, double? webhookRecordsAtMs = null)
    {
        var trace = new TraceBuilder();
        var process = trace.Span("payments.process", startMs, 80, service: "api", kind: TraceSpanKind.Consumer,
            attributes: [("order.id", orderId), ("payment.status", status)]);
        var charge = trace.Span("payments.create_intent", startMs + 5, 50, process, kind: TraceSpanKind.Client);
        var provider = trace.Span("POST /payment_intents", startMs + 10, 40, charge, service: "payments", kind: TraceSpanKind.Server);
        if (webhookRecordsAtMs is { } webhookAt)
        {
            var webhook = trace.Span("payments.webhook", startMs + webhookAt - 5, 20, provider, service: "api", kind: TraceSpanKind.Server);
            trace.Span("orders.record_payment", startMs + webhookAt, 10, webhook);
        }

        if (status != OrdersTelemetry.PaymentStatuses.RetryLater)
        {
            trace.Span("orders.record_payment", startMs + 60, 15, process);
        }

        return [.. trace.Spans.Select(span => span.SpanId == process.SpanId ? span with { Links = [new TraceSpanLink(placed.TraceId, placed.SpanId)] } : span)];
    }
}
