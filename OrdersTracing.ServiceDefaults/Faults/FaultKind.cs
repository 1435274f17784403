using System.Text.Json.Serialization;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// What can go wrong, one member per mechanism. Named, not numbered, on the wire: a fault switched from a script
/// or a dashboard command reads the same in the logs as in the catalogue (docs/faults.md).
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))]
public enum FaultKind
{
    /// <summary>The payment provider answers late.</summary>
    SlowProvider,

    /// <summary>The payment provider answers 500; the Api's retries show as one client span each.</summary>
    ProviderErrors,

    /// <summary>The payment provider charges but answers after the Api's attempt timeout.</summary>
    ProviderTimeout,

    /// <summary>The Api's payment client connects to a port nothing listens on.</summary>
    ProviderUnreachable,

    /// <summary>A statement waits behind a <c>pg_sleep</c> on the same connection.</summary>
    SlowQuery,

    /// <summary>The <c>(tenant_id, created_at)</c> index is dropped: a large tenant's listing scans and sorts.</summary>
    MissingIndex,

    /// <summary>Another transaction holds <c>FOR UPDATE</c> on the order row an UPDATE needs.</summary>
    RowLock,

    /// <summary>The Api's connection pool is held empty; requests wait for a connection.</summary>
    PoolExhausted,

    /// <summary>The orders-with-items listing loads each order's items with a query of its own.</summary>
    NPlusOne,

    /// <summary>An Api request spins on the CPU where no child span covers it.</summary>
    CpuBound,

    /// <summary>A step in Web itself takes long, before it calls the Api.</summary>
    SlowWebStep,

    /// <summary>An exception is thrown below the Api's handlers, as a statement is about to run.</summary>
    DeepException,

    /// <summary>The Api's cache cannot be reached. Reserved: the cache adds its mechanism.</summary>
    CacheUnavailable,

    /// <summary>Every connection the Api opens to Postgres is refused.</summary>
    DatabaseDown,

    /// <summary>The first request after a service starts. Not switched: the service is restarted.</summary>
    ColdStart,
}
