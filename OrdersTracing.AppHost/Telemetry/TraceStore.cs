namespace OrdersTracing.AppHost.Telemetry;

/// <summary>
/// Where Jaeger keeps traces, each one overlay file in <c>Telemetry/Jaeger/</c> named after it. Jaeger refuses a
/// storage backend of two types, and an overlay cannot remove what the base config defines, so the base defines none.
/// </summary>
public enum TraceStore
{
    /// <summary>Badger, an embedded key-value store, on a data volume: survives restarts, one Jaeger, one machine.</summary>
    Badger,

    /// <summary>An Elasticsearch cluster the deployment runs: many Jaegers, many machines, retention kept by the cluster.</summary>
    Elasticsearch,

    /// <summary>An OpenSearch cluster, as Elasticsearch (Jaeger reads both with one config struct).</summary>
    OpenSearch,
}
