using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class CriticalPathTests
{
    [Fact]
    public void The_critical_path_of_the_reference_order_trace_runs_through_the_api_to_the_stripe_call()
    {
        var trace = TraceBuilder.ReferenceOrderTrace();

        var path = CriticalPath.Compute(trace);

        Assert.Equal(
            [
                ("POST /orders", 0), ("auth.getSession", 1), ("POST /orders", 6), ("POST /api/orders", 7), ("postgresql", 9),
                ("POST /api/orders", 59), ("stripe.PaymentIntent.create", 60), ("POST /api/orders", 360), ("postgresql", 361),
                ("POST /api/orders", 406), ("POST /orders", 407), ("cache.set", 408), ("POST /orders", 418),
            ],
            path.Sections.Select(section => (section.Span.Name, Milliseconds(section.SectionStart))));
        Assert.Equal(TimeSpan.FromMilliseconds(420), path.Sections.Aggregate(TimeSpan.Zero, (total, section) => total + section.Duration));
    }

    [Fact]
    public void The_stripe_call_holds_300_of_the_420_milliseconds_on_the_critical_path()
    {
        var trace = TraceBuilder.ReferenceOrderTrace();

        var stripe = CriticalPath.Compute(trace).Spans.Single(timing => timing.Span.Name == "stripe.PaymentIntent.create");

        Assert.Equal(TimeSpan.FromMilliseconds(300), stripe.OnCriticalPath);
        Assert.Equal(300.0 / 420, stripe.ShareOfRoot, precision: 6);
    }

    [Fact]
    public void A_child_that_starts_after_its_parent_ended_is_dropped_with_its_children()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("parent", 0, 100);
        var child = trace.Span("child", 10, 40, parent);
        var late = trace.Span("late", 120, 80, parent);
        var lateChild = trace.Span("late child", 130, 10, late);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal(
            [("parent", 0, 10), ("child", 10, 50), ("parent", 50, 100)],
            path.Sections.Select(section => Section(section)));
        Assert.Equal(TimeSpan.Zero, path.Timing(late).OnCriticalPath);
        Assert.Equal(TimeSpan.Zero, path.Timing(lateChild).OnCriticalPath);
        Assert.Equal(TimeSpan.FromMilliseconds(40), path.Timing(child).OnCriticalPath);
    }

    [Fact]
    public void A_child_that_ends_before_its_parent_started_is_dropped()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("parent", 50, 50);
        trace.Span("early", 0, 50, parent);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal([("parent", 50, 100)], path.Sections.Select(section => Section(section)));
    }

    [Fact]
    public void A_child_overflowing_its_parent_is_cut_to_the_parents_bounds()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("parent", 100, 100);
        trace.Span("starts before", 80, 50, parent);
        trace.Span("ends after", 160, 90, parent);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal(
            [("starts before", 100, 130), ("parent", 130, 160), ("ends after", 160, 200)],
            path.Sections.Select(section => Section(section)));
    }

    [Fact]
    public void Of_overlapping_children_only_those_that_finish_before_the_next_one_on_the_path_starts_are_on_it()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("parent", 0, 100);
        var overlapped = trace.Span("overlapped", 10, 60, parent);
        trace.Span("last to finish", 40, 50, parent);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal(
            [("parent", 0, 40), ("last to finish", 40, 90), ("parent", 90, 100)],
            path.Sections.Select(section => Section(section)));
        Assert.Equal(TimeSpan.Zero, path.Timing(overlapped).OnCriticalPath);
    }

    [Fact]
    public void A_consumer_under_a_producer_does_not_block_it()
    {
        var trace = new TraceBuilder();
        var producer = trace.Span("publish", 0, 50, kind: TraceSpanKind.Producer);
        trace.Span("process", 10, 30, producer, kind: TraceSpanKind.Consumer);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal([("publish", 0, 50)], path.Sections.Select(section => Section(section)));
    }

    [Fact]
    public void Self_time_is_the_duration_minus_the_union_of_the_childrens_intervals_within_the_span()
    {
        var trace = new TraceBuilder();
        var parent = trace.Span("parent", 0, 100);
        trace.Span("a", 10, 30, parent);
        trace.Span("b overlapping a", 30, 30, parent);
        trace.Span("c overflowing", 90, 30, parent);

        var timing = CriticalPath.Compute(trace.Spans).Timing(parent);

        Assert.Equal(TimeSpan.FromMilliseconds(40), timing.SelfTime);
    }

    [Fact]
    public void The_earliest_starting_span_without_a_parent_in_the_trace_is_the_root()
    {
        var trace = new TraceBuilder();
        var later = trace.Span("later root", 20, 10);
        var missing = new TraceBuilder().Span("not received", 0, 100);
        var orphan = trace.Span("orphan", 5, 50, missing);

        var path = CriticalPath.Compute(trace.Spans);

        Assert.Equal(orphan, path.Root);
        Assert.Equal(TimeSpan.Zero, path.Timing(later).OnCriticalPath);
    }

    private static (string Name, int From, int To) Section(CriticalPathSection section) =>
        (section.Span.Name, Milliseconds(section.SectionStart), Milliseconds(section.SectionEnd));

    private static int Milliseconds(DateTimeOffset time) => (int)(time - TraceBuilder.Origin).TotalMilliseconds;
}
