namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// An order followed across the traces that handled it: the request that placed it, and the background payment
/// attempts whose spans link back to the request's span (each a trace of its own). The time from placed to paid is
/// what the customer waits for, which neither trace shows alone.
/// </summary>
/// <param name="OrderId">The <c>order.id</c> both ends carry.</param>
/// <param name="Placed">The span that placed the order: the one the payment attempts link to (the Api's <c>orders.create</c>).</param>
/// <param name="Attempts">The payment spans that link to <paramref name="Placed"/>, one per attempt, oldest first.</param>
/// <param name="Paid">
/// The recording of the charge that paid the order: the first <c>orders.record_payment</c> to end under the attempt that
/// says <c>payment.status = Paid</c> (the worker's own, or the provider's webhook's when it came first); null while no
/// attempt held in the traces has paid it.
/// </param>
public sealed record PlacedToPaid(string OrderId, TraceSpan Placed, IReadOnlyList<TraceSpan> Attempts, TraceSpan? Paid)
{
    /// <summary>The attribute that names the order, on the placing span and on each payment attempt.</summary>
    public const string OrderIdAttribute = "order.id";

    /// <summary>The order's payment status that an attempt ends with (the Api's <c>PaymentStatus</c>, as its name).</summary>
    public const string PaymentStatusAttribute = "payment.status";

    public const string PaidStatus = "Paid";

    /// <summary>The Api's span around storing what the provider answered, whichever path charged the order.</summary>
    public const string RecordPaymentSpan = "orders.record_payment";

    /// <summary>From the start of the span that placed the order to the end of the recording of its charge.</summary>
    public TimeSpan? Duration => Paid is null ? null : Paid.End - Placed.Start;

    /// <summary>How the last attempt left the order (<c>Paid</c>, <c>PaymentFailed</c>, <c>retry_later</c>...), if it says.</summary>
    public string? LastStatus => Attempts[^1][PaymentStatusAttribute];

    /// <summary>
    /// Every order of <paramref name="traces"/> placed in one trace and paid (or attempted) in another: a span carrying
    /// <c>order.id</c> that links to a span of another trace carrying the same <c>order.id</c>. Orders in the order
    /// their placing spans started.
    /// </summary>
    public static IReadOnlyList<PlacedToPaid> Of(IEnumerable<IReadOnlyList<TraceSpan>> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);

        var held = traces.Where(trace => trace.Count > 0).DistinctBy(trace => trace[0].TraceId).ToList();
        var spans = held.SelectMany(trace => trace).DistinctBy(span => (span.TraceId, span.SpanId)).ToDictionary(span => (span.TraceId, span.SpanId));
        var trees = held.ToDictionary(trace => trace[0].TraceId, trace => new TraceTree(trace));

        var attemptsByPlacement =
            from attempt in spans.Values
            where attempt[OrderIdAttribute] is not null
            from link in attempt.Links
            where link.TraceId != attempt.TraceId
            let placed = spans.GetValueOrDefault((link.TraceId, link.SpanId))
            where placed is not null && placed[OrderIdAttribute] == attempt[OrderIdAttribute]
            group attempt by (placed.TraceId, placed.SpanId) into attempts
            select (Placed: spans[attempts.Key], Attempts: attempts);

        return [.. attemptsByPlacement
            .Select(placement =>
            {
                var ordered = placement.Attempts.DistinctBy(attempt => attempt.SpanId).OrderBy(attempt => attempt.Start).ToList();
                var paid = ordered
                    .Where(attempt => string.Equals(attempt[PaymentStatusAttribute], PaidStatus, StringComparison.OrdinalIgnoreCase))
                    .Select(attempt => Recording(attempt, trees[attempt.TraceId]))
                    .FirstOrDefault(recording => recording is not null);
                return new PlacedToPaid(placement.Placed[OrderIdAttribute]!, placement.Placed, ordered, paid);
            })
            .OrderBy(order => order.Placed.Start)];
    }

    /// <summary>
    /// The first recording of the charge under the attempt: the worker records the provider's answer, and the provider's
    /// webhook, sent while the charge is answered (so in the same trace), may settle the order before it does.
    /// </summary>
    private static TraceSpan? Recording(TraceSpan attempt, TraceTree tree)
    {
        TraceSpan? first = null;
        var pending = new Stack<TraceSpan>(tree.Children(attempt));
        while (pending.TryPop(out var span))
        {
            if (span.Name == RecordPaymentSpan && (first is null || span.End < first.End))
            {
                first = span;
            }

            foreach (var child in tree.Children(span))
            {
                pending.Push(child);
            }
        }

        return first;
    }
}
