using YamlDotNet.Serialization;

namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// An OpenTelemetry Collector configuration, read and checked the way the Collector checks it at start-up
/// (<c>otelcol validate</c>), so that a broken pipeline fails a test here instead of a deployment there.
/// </summary>
public sealed class CollectorConfig
{
    /// <summary>
    /// Component types the Collector no longer has, by kind: a type removed as one kind may live on as another. Jaeger v2
    /// takes OTLP instead of the jaeger exporter, yet contrib still ships the jaeger receiver for v1 clients.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlySet<string>> RemovedTypes = new Dictionary<string, IReadOnlySet<string>>
    {
        ["receivers"] = new HashSet<string> { "opencensus" },
        ["exporters"] = new HashSet<string> { "jaeger", "jaeger_thrift", "opencensus" },
    };

    private static readonly string[] Kinds = ["receivers", "processors", "exporters", "connectors", "extensions"];

    private CollectorConfig(Dictionary<object, object> root) => Root = root;

    public Dictionary<object, object> Root { get; }

    public static string FolderOf(string component) =>
        Path.Combine(AppHostDirectory, component);

    public static string AppHostDirectory =>
        Projects.OrdersTracing_AppHost.ProjectPath;

    /// <summary>Reads the files in order and merges them as the Collector merges several <c>--config</c> flags: maps key by key, lists replaced.</summary>
    public static CollectorConfig Load(params string[] paths)
    {
        var deserializer = new DeserializerBuilder().Build();
        var merged = new Dictionary<object, object>();
        foreach (var path in paths)
        {
            Merge(merged, deserializer.Deserialize<Dictionary<object, object>>(File.ReadAllText(path)) ?? []);
        }

        return new CollectorConfig(merged);
    }

    /// <summary>The ids (<c>type[/name]</c>) of the components of one kind: receivers, processors, exporters, connectors, extensions.</summary>
    public IReadOnlySet<string> Components(string kind) =>
        Root.TryGetValue(kind, out var section) && section is Dictionary<object, object> components
            ? components.Keys.Select(key => (string)key).ToHashSet()
            : [];

    public IReadOnlyDictionary<string, Pipeline> Pipelines =>
        Map(Map(Root, "service"), "pipelines").ToDictionary(
            pipeline => (string)pipeline.Key,
            pipeline => new Pipeline(
                List(pipeline.Value, "receivers"), List(pipeline.Value, "processors"), List(pipeline.Value, "exporters")));

    public IReadOnlyList<string> ServiceExtensions => List(Map(Root, "service"), "extensions");

    /// <summary>The configuration of one component, e.g. <c>Component("processors", "tail_sampling")</c>.</summary>
    public Dictionary<object, object> Component(string kind, string id) => Map(Map(Root, kind), id);

    /// <summary>Every problem the Collector would refuse to start with, in words; empty when the configuration is sound.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var (receivers, processors, exporters, connectors, extensions) =
            (Components("receivers"), Components("processors"), Components("exporters"), Components("connectors"), Components("extensions"));

        foreach (var kind in Kinds)
        {
            errors.AddRange(Components(kind)
                .Where(id => RemovedTypes.TryGetValue(kind, out var removed) && removed.Contains(TypeOf(id)))
                .Select(id => $"{kind}: '{id}' is a component type the Collector has removed."));
        }

        foreach (var (name, pipeline) in Pipelines)
        {
            if (pipeline.Receivers.Count == 0 || pipeline.Exporters.Count == 0)
            {
                errors.Add($"pipeline '{name}' needs at least one receiver and one exporter.");
            }

            errors.AddRange(pipeline.Receivers.Where(id => !receivers.Contains(id) && !connectors.Contains(id))
                .Select(id => $"pipeline '{name}' receives from '{id}', which is not defined."));
            errors.AddRange(pipeline.Processors.Where(id => !processors.Contains(id))
                .Select(id => $"pipeline '{name}' uses processor '{id}', which is not defined."));
            errors.AddRange(pipeline.Exporters.Where(id => !exporters.Contains(id) && !connectors.Contains(id))
                .Select(id => $"pipeline '{name}' exports to '{id}', which is not defined."));
            errors.AddRange(pipeline.Processors.GroupBy(id => id).Where(group => group.Count() > 1)
                .Select(group => $"pipeline '{name}' lists processor '{group.Key}' twice."));
        }

        // Ours, stricter than the Collector, which starts with a component no pipeline uses: an unused one is a pipeline
        // someone meant to wire and did not.
        var all = Pipelines.Values.ToList();
        errors.AddRange(receivers.Where(id => !all.Any(pipeline => pipeline.Receivers.Contains(id))).Select(id => $"receiver '{id}' is defined but not used."));
        errors.AddRange(processors.Where(id => !all.Any(pipeline => pipeline.Processors.Contains(id))).Select(id => $"processor '{id}' is defined but not used."));
        errors.AddRange(exporters.Where(id => !all.Any(pipeline => pipeline.Exporters.Contains(id))).Select(id => $"exporter '{id}' is defined but not used."));
        errors.AddRange(connectors
            .Where(id => !all.Any(pipeline => pipeline.Exporters.Contains(id)) || !all.Any(pipeline => pipeline.Receivers.Contains(id)))
            .Select(id => $"connector '{id}' must be an exporter of one pipeline and a receiver of another."));
        errors.AddRange(ServiceExtensions.Where(id => !extensions.Contains(id)).Select(id => $"extension '{id}' is enabled but not defined."));
        errors.AddRange(extensions.Where(id => !ServiceExtensions.Contains(id)).Select(id => $"extension '{id}' is defined but not enabled."));

        return errors;
    }

    public static string TypeOf(string id) => id.Split('/')[0];

    private static void Merge(Dictionary<object, object> into, Dictionary<object, object> from)
    {
        foreach (var (key, value) in from)
        {
            if (value is Dictionary<object, object> map && into.TryGetValue(key, out var existing) && existing is Dictionary<object, object> existingMap)
            {
                Merge(existingMap, map);
            }
            else
            {
                into[key] = value;
            }
        }
    }

    private static Dictionary<object, object> Map(object? parent, string key) =>
        parent is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is Dictionary<object, object> child ? child : [];

    private static List<string> List(object? parent, string key) =>
        parent is Dictionary<object, object> map && map.TryGetValue(key, out var value) && value is List<object> items
            ? [.. items.Select(item => (string)item)]
            : [];

    public sealed record Pipeline(IReadOnlyList<string> Receivers, IReadOnlyList<string> Processors, IReadOnlyList<string> Exporters);
}
