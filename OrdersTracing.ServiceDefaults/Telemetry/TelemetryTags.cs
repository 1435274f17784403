namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>
/// Attribute names shared by every service, so that a query for <c>tenant.id</c> finds the same attribute
/// whichever service wrote it. Names the OpenTelemetry semantic conventions define are used as they define them.
/// </summary>
public static class TelemetryTags
{
    public const string TenantId = "tenant.id";
    public const string UserId = "user.id";
    public const string OrderId = "order.id";
    public const string OrderTotal = "order.total";
    public const string OrderItemCount = "order.item_count";
    public const string PaymentId = "payment.id";
    public const string PaymentStatus = "payment.status";
    public const string PaymentProcessing = "payment.processing";
    public const string PaymentAttempt = "payment.attempt";
    public const string ItemLoading = "orders.item_loading";

    public const string DeploymentEnvironment = "deployment.environment";
    public const string DeploymentEnvironmentName = "deployment.environment.name";

    public const string ErrorType = "error.type";

    /// <summary>
    /// On the server span of the first request of each route in a process: its time includes start-up work (JIT, first
    /// model build, first connections) that no child span shows.
    /// </summary>
    public const string AppColdStart = "app.cold_start";

    // URLs, which hold query values only as Redacted (TelemetryRedaction); http.url is the name before conventions 1.21.
    public const string UrlFull = "url.full";
    public const string UrlQuery = "url.query";
    public const string HttpUrl = "http.url";

    public const string DbSystem = "db.system";
    public const string DbSystemName = "db.system.name";
    public const string DbQueryText = "db.query.text";
    public const string DbOperationName = "db.operation.name";

    /// <summary>The connection pool a span waited on (<c>server.address:server.port/db.namespace</c> when it has no name).</summary>
    public const string DbClientConnectionPoolName = "db.client.connection.pool.name";

    /// <summary>The statement's name before semantic conventions 1.25; older instrumentations still write it.</summary>
    public const string DbStatement = "db.statement";

    // Query detection: on the local root span of a trace with an N+1 or a slow query, and on the slow query itself.
    public const string NPlusOneDetected = "n_plus_one.detected";
    public const string NPlusOneStatement = "n_plus_one.statement";
    public const string NPlusOneCount = "n_plus_one.count";
    public const string NPlusOneTotalDurationMs = "n_plus_one.total_duration_ms";
    public const string SlowQueryDetected = "slow_query.detected";
    public const string SlowQueryCount = "slow_query.count";
    public const string DbSlowQuery = "db.slow_query";
    public const string DbSlowQueryStatement = "db.slow_query.statement";
}
