using System.Diagnostics;
using OrdersTracing.Api.Tenancy;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Api.Telemetry;

/// <summary>The Api's own spans: the business steps around which HTTP and database spans hang.</summary>
public static class OrdersTelemetry
{
    // ServiceDefaults listens to the source named after the application, so this must stay the assembly name.
    public const string ActivitySourceName = "OrdersTracing.Api";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>A span on behalf of a caller, tagged with whom, so that a tenant's traces can be found.</summary>
    internal static Activity? StartActivity(string name, CallerIdentity caller)
    {
        var activity = Source.StartActivity(name);
        activity?.SetTag(TelemetryTags.TenantId, caller.TenantId);
        activity?.SetTag(TelemetryTags.UserId, caller.UserId);
        return activity;
    }

    public static class Spans
    {
        public const string CreateOrder = "orders.create";
        public const string ListOrders = "orders.list";
        public const string ListOrdersWithItems = "orders.list_with_items";
        public const string ProcessPayment = "payments.process";
        public const string GetOrder = "orders.get";
        public const string RecordPayment = "orders.record_payment";
        public const string ChargePayment = "payments.create_intent";
        public const string Migrate = "orders.migrate";
        public const string SeedOrders = "orders.seed";
        public const string ReceiveWebhook = "payments.webhook";
        public const string SummarizeTenant = "orders.summarize";
        public const string ListPaymentStatuses = "orders.list_payment_statuses";
        public const string ExportOrders = "orders.export";
        public const string LoadOrderForm = "orders.load_form";
        public const string ReportDay = "orders.report_day";
        public const string GetPaymentDetails = "orders.get_payment_details";
        public const string ListPaymentAttempts = "orders.list_payment_attempts";

        /// <summary>Waiting for a database connection, written after the fact (<see cref="ConnectionOpenTracing"/>).</summary>
        public const string OpenConnection = "db.connection.open";

        /// <summary>A cache command that failed, written after the fact: Redis's instrumentation sees only commands it sent.</summary>
        public const string CacheGet = "cache.get";
        public const string CacheSet = "cache.set";
        public const string CacheDelete = "cache.delete";
    }

    /// <summary>Values of <see cref="TelemetryTags.DbSystemName"/>, as the semantic conventions name them.</summary>
    public static class DatabaseSystems
    {
        public const string PostgreSql = "postgresql";
        public const string Redis = "redis";
    }

    /// <summary>Values of <see cref="TelemetryTags.DbOperationName"/> on the cache's spans: the Redis commands it sends.</summary>
    public static class CacheCommands
    {
        public const string Get = "GET";
        public const string Set = "SETEX";
        public const string Delete = "DEL";
    }

    /// <summary>Attributes only the Api writes; those other services share are in <see cref="TelemetryTags"/>.</summary>
    public static class Tags
    {
        public const string OrdersSeeded = "orders.seeded";

        /// <summary>On <see cref="Spans.GetOrder"/>: one of <see cref="CacheResults"/>.</summary>
        public const string CacheResult = "orders.cache.result";

        /// <summary>Which variant of a scenario ran: the problem or its fix (see <c>Scenarios/ScenarioOptions.cs</c>).</summary>
        public const string SummaryQueries = "orders.summary_queries";
        public const string PaymentLookups = "orders.payment_lookups";
        public const string ExportPaging = "orders.export_paging";
        public const string ReferenceDataQueries = "orders.reference_data_queries";
        public const string DayFilter = "orders.day_filter";
        public const string ProviderCalls = "orders.provider_calls";
        public const string RelatedLoading = "orders.related_loading";

        public const string OrdersExported = "orders.exported";

        /// <summary>On a webhook's span: whether this delivery settled the order (true for exactly one of its copies).</summary>
        public const string PaymentApplied = "payment.applied";
    }

    /// <summary>What the order cache did for a read; <c>unavailable</c> is a read served by the database during an outage.</summary>
    public static class CacheResults
    {
        public const string Hit = "hit";
        public const string Miss = "miss";
        public const string Unavailable = "unavailable";
    }

    public static class Events
    {
        /// <summary>The cache could not be asked; the request went on with the database.</summary>
        public const string CacheUnavailable = "orders.cache.unavailable";
    }

    /// <summary>
    /// Values of <see cref="TelemetryTags.PaymentStatus"/> besides an order's own status: what the provider answered
    /// on <see cref="Spans.ChargePayment"/>, and what became of a payment that has no status of its own yet.
    /// </summary>
    public static class PaymentStatuses
    {
        public const string Succeeded = "succeeded";
        public const string RetryLater = "retry_later";
        public const string UnknownOrder = "unknown_order";
    }

    /// <summary>The semantic conventions' exception event, which a refused payment is recorded as.</summary>
    public static class Exceptions
    {
        public const string EventName = "exception";
        public const string Type = "exception.type";
        public const string Message = "exception.message";

        // The type name the event carried while the failure was recorded through an exception object; queries and
        // alerts on it keep working.
        public const string PaymentFailedType = "OrdersTracing.Api.Payments.PaymentFailedException";
    }
}
