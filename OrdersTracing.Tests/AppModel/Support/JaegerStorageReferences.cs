namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// What Jaeger checks across its components at start-up and a schema cannot: every store that <c>jaeger_query</c> and
/// <c>jaeger_storage_exporter</c> name is defined by <c>jaeger_storage</c>, traces among its <c>backends</c> and metrics
/// among its <c>metric_backends</c> (jaeger v2.19.0 jaegerstorage extension: "cannot find definition of storage").
/// </summary>
public static class JaegerStorageReferences
{
    public static IReadOnlyList<string> Check(CollectorConfig config)
    {
        var storage = Section(config.Root, "extensions", "jaeger_storage");
        var traceStores = Section(storage, "backends").Keys.Cast<string>().ToHashSet();
        var metricStores = Section(storage, "metric_backends").Keys.Cast<string>().ToHashSet();
        var query = Section(Section(config.Root, "extensions", "jaeger_query"), "storage");

        var errors = new List<string>();
        Expect("extensions::jaeger_query::storage::traces", query.GetValueOrDefault("traces"), traceStores, "backends");
        Expect("extensions::jaeger_query::storage::traces_archive", query.GetValueOrDefault("traces_archive"), traceStores, "backends");
        Expect("extensions::jaeger_query::storage::metrics", query.GetValueOrDefault("metrics"), metricStores, "metric_backends");
        foreach (var (id, exporter) in Section(config.Root, "exporters").Where(exporter => CollectorConfig.TypeOf((string)exporter.Key) == "jaeger_storage_exporter"))
        {
            Expect($"exporters::{id}::trace_storage", (exporter as Dictionary<object, object>)?.GetValueOrDefault("trace_storage"), traceStores, "backends");
        }

        return errors;

        void Expect(string path, object? name, HashSet<string> defined, string section)
        {
            if (name is string store && !defined.Contains(store))
            {
                errors.Add($"{path}: '{store}' is not defined in jaeger_storage::{section} ({(defined.Count == 0 ? "none is" : string.Join(", ", defined) + " are")}).");
            }
        }
    }

    private static Dictionary<object, object> Section(Dictionary<object, object> map, params string[] path) =>
        path.Aggregate(map, (current, key) => current.TryGetValue(key, out var child) && child is Dictionary<object, object> next ? next : []);
}
