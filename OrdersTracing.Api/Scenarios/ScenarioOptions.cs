namespace OrdersTracing.Api.Scenarios;

/// <summary>
/// The reference design's three problems, each switchable between the problem and its fix, so that both can be
/// traced and compared side by side (section <c>Scenarios</c>; a request can pick its own with a query parameter).
/// </summary>
public sealed class ScenarioOptions
{
    public const string SectionName = "Scenarios";

    /// <summary>How the orders-with-items listing loads line items: one query per order, or one query for all.</summary>
    public ItemLoading ItemLoading { get; set; } = ItemLoading.Eager;

    /// <summary>Whether creating an order charges the payment inside the request or hands it to the background worker.</summary>
    public PaymentProcessing Payments { get; set; } = PaymentProcessing.Background;

    /// <summary>Whether the index on <c>(tenant_id, created_at)</c> exists; without it a large tenant's listing is slow.</summary>
    public bool TenantCreatedAtIndex { get; set; } = true;
}

public enum ItemLoading
{
    /// <summary>1 + N queries: the orders, then each order's items on its own (the reference design's N+1).</summary>
    Naive,

    /// <summary>One query with eager loading.</summary>
    Eager,
}

public enum PaymentProcessing
{
    /// <summary>The payment provider is called inside the request, on its critical path.</summary>
    Synchronous,

    /// <summary>The order and an outbox row are written in one transaction; a background worker charges the payment.</summary>
    Background,
}

/// <summary>How the tenant summary runs its independent aggregate queries.</summary>
public enum SummaryQueries
{
    /// <summary>One after another on the request's context: the request waits for the sum of their times.</summary>
    Sequential,

    /// <summary>All at once, each on a context and connection of its own: the request waits for the slowest.</summary>
    Parallel,
}

/// <summary>How a page of orders asks the payment provider for their payments.</summary>
public enum PaymentLookups
{
    /// <summary>One <c>GET /payment_intents/{id}</c> per order: an N+1 of HTTP calls.</summary>
    PerOrder,

    /// <summary>One <c>GET /payment_intents?ids=...</c> for the page.</summary>
    Batched,
}

/// <summary>How the export hands out a tenant's orders.</summary>
public enum ExportPaging
{
    /// <summary>Every order in one response, however many the tenant has.</summary>
    None,

    /// <summary>A bounded page and the cursor of the next one (keyset paging on the order id).</summary>
    Keyset,
}

/// <summary>How the order form loads its reference data, four global tables.</summary>
public enum ReferenceDataQueries
{
    /// <summary>One query after another on the request's context: four round trips.</summary>
    Sequential,

    /// <summary>The four statements in one batch: one round trip.</summary>
    Batched,
}

/// <summary>How a day's report filters the orders of the day.</summary>
public enum DayFilter
{
    /// <summary>On the year, month and day of <c>created_at</c>: an expression no index holds, so every order of the tenant is read.</summary>
    DateParts,

    /// <summary>On the day's range of <c>created_at</c>: the part of the <c>(tenant_id, created_at)</c> index that holds the day.</summary>
    Range,
}

/// <summary>How an order's payment details ask the provider for the intent, its charges and its refunds.</summary>
public enum ProviderCalls
{
    /// <summary>One call after another: the request waits for the sum of the round trips.</summary>
    Sequential,

    /// <summary>The three at once: the request waits for the longest.</summary>
    Parallel,
}

/// <summary>How a page of orders loads what belongs to each order (its items, its outbox row).</summary>
public enum RelatedLoading
{
    /// <summary>Order by order: the same few different queries again for every order (MN+1).</summary>
    PerOrder,

    /// <summary>For the whole page at once: one query per kind of row.</summary>
    PerPage,
}
