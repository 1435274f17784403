using System.Diagnostics;

namespace OrdersTracing.Api.Telemetry;

/// <summary>The Api's own spans: the business steps around which HTTP and database spans hang.</summary>
public static class OrdersTelemetry
{
    // ServiceDefaults listens to the source named after the application, so this must stay the assembly name.
    public const string ActivitySourceName = "OrdersTracing.Api";

    public static readonly ActivitySource Source = new(ActivitySourceName);

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
    }
}
