namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// What each kind of root cause is called and what to do about it. Null where the evidence does not say what the fix
/// is (a slow or failing dependency is fixed in the dependency; an exception by reading it): no advice is better than
/// wrong advice.
/// </summary>
public static class CauseRemedies
{
    public static string? For(CauseKind kind) => kind switch
    {
        CauseKind.DependencyUnreachable => "check the dependency's address and that it is running: nothing answered there",
        CauseKind.CircuitOpen => "find the failed calls to this dependency in the traces just before this one: the breaker opened on them",
        CauseKind.SlowQuery => "read the statement's plan (EXPLAIN ANALYZE): an index on its filtered and sorted columns, or less data",
        CauseKind.LockWait => "find the transaction that holds the row (pg_locks, pg_stat_activity) and keep transactions short",
        CauseKind.ConnectionPoolWait => "find what holds the pool's connections (pg_stat_activity) before raising Max Pool Size",
        CauseKind.DatabaseUnavailable => "check that the database is running and reachable from the service",
        CauseKind.CacheUnavailable => "check the cache server: requests are served from the database meanwhile",
        CauseKind.UninstrumentedWork => "add a span around the work in this span to see what it is",
        CauseKind.ColdStart => "warm the service up before it takes traffic (a readiness check that runs the route)",
        _ => null,
    };

    /// <summary>The cause's name as a person reads it.</summary>
    public static string Title(CauseKind kind) => kind switch
    {
        CauseKind.SlowDependency => "slow dependency",
        CauseKind.DependencyErrors => "dependency errors, retried",
        CauseKind.DependencyTimeout => "dependency timed out",
        CauseKind.DependencyUnreachable => "dependency unreachable",
        CauseKind.CircuitOpen => "circuit open",
        CauseKind.SlowQuery => "slow query",
        CauseKind.LockWait => "lock wait",
        CauseKind.ConnectionPoolWait => "waiting for a database connection",
        CauseKind.DatabaseUnavailable => "database unavailable",
        CauseKind.CacheUnavailable => "cache unavailable",
        CauseKind.UninstrumentedWork => "un-instrumented work",
        CauseKind.ColdStart => "cold start",
        CauseKind.Exception => "exception",
        CauseKind.Detected => "detector finding",
        _ => kind.ToString(),
    };

    /// <summary>
    /// A cause's title, a detector finding's own where the cause is the finding; a lock wait that a slow-query finding
    /// also flagged is a lock wait.
    /// </summary>
    public static string Title(RootCause cause)
    {
        ArgumentNullException.ThrowIfNull(cause);
        return cause is { Kind: CauseKind.Detected, Finding: { } finding } ? Remedies.Title(finding.Kind) : Title(cause.Kind);
    }
}
