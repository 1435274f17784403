using System.Text.RegularExpressions;
using YamlDotNet.Serialization;

namespace OrdersTracing.Tests.AppModel;

/// <summary>
/// The keys and types of the components we use (<c>Support/Schema/components.yaml</c>, written down from the upstream
/// Config structs), checked against a config as the Collector decodes it: after <c>${env:…}</c> expansion with the
/// environment the AppHost gives, every key known, every value of its type, every required value present.
/// </summary>
public sealed partial class ComponentSchema
{
    private static readonly string[] Kinds = ["receivers", "processors", "exporters", "connectors", "extensions"];

    /// <summary>On a map schema: exactly one of its keys must be set, as Jaeger wants one type per storage backend.</summary>
    private const string OneOf = "!one_of";

    private readonly Dictionary<object, object> _definitions;
    private readonly Dictionary<object, object> _components;
    private readonly object _service;

    private ComponentSchema(Dictionary<object, object> root)
    {
        _definitions = (Dictionary<object, object>)root["definitions"];
        _components = (Dictionary<object, object>)root["components"];
        _service = root["service"];
    }

    public static ComponentSchema Load() =>
        new(new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "AppModel", "Support", "Schema", "components.yaml"))));

    /// <summary>Every key, type or value the Collector (or Jaeger) would refuse at start-up, with its path in the config.</summary>
    public IReadOnlyList<string> Check(CollectorConfig config, IReadOnlyDictionary<string, string> environment)
    {
        var errors = new List<string>();
        foreach (var kind in Kinds)
        {
            var known = _components.TryGetValue(kind, out var types) ? (Dictionary<object, object>)types : [];
            var section = config.Root.TryGetValue(kind, out var value) && value is Dictionary<object, object> map ? map : [];
            foreach (var (id, component) in section)
            {
                var type = CollectorConfig.TypeOf((string)id);
                if (!known.TryGetValue(type, out var entry))
                {
                    errors.Add($"{kind}::{id}: unknown component type '{type}'.");
                    continue;
                }

                CheckNode($"{kind}::{id}", component, ((Dictionary<object, object>)entry)["config"], environment, literal: true, errors);
            }
        }

        if (config.Root.TryGetValue("service", out var service))
        {
            CheckNode("service", service, _service, environment, literal: true, errors);
        }

        return errors;
    }

    private void CheckNode(string path, object? value, object schema, IReadOnlyDictionary<string, string> environment, bool literal, List<string> errors)
    {
        // The Collector expands a value that is one placeholder as YAML, keeping its type; a placeholder inside a string stays a string.
        if (value is string text && WholePlaceholder().Match(text) is { Success: true } whole)
        {
            var expanded = environment.GetValueOrDefault(whole.Groups[1].Value, "");
            value = expanded.Length == 0 ? null : new DeserializerBuilder().Build().Deserialize<object>(expanded);
            literal = false;
        }
        else if (value is string embedded)
        {
            value = Placeholder().Replace(embedded, match => environment.GetValueOrDefault(match.Groups[1].Value, ""));
        }

        switch (schema)
        {
            case string reference when reference.StartsWith('@'):
                CheckNode(path, value, _definitions[reference[1..]], environment, literal, errors);
                return;
            case string scalar:
                CheckScalar(path, value, scalar, literal, errors);
                return;
            case List<object> list:
                CheckList(path, value, list[0], environment, errors);
                return;
            case Dictionary<object, object> map:
                CheckMap(path, value, map, environment, errors);
                return;
        }
    }

    private void CheckList(string path, object? value, object itemSchema, IReadOnlyDictionary<string, string> environment, List<string> errors)
    {
        switch (value)
        {
            case null:
                return;
            case List<object> items:
                for (var i = 0; i < items.Count; i++)
                {
                    CheckNode($"{path}[{i}]", items[i], itemSchema, environment, literal: true, errors);
                }

                return;
            // mapstructure.StringToSliceHookFunc(","): a string becomes a list of its comma-separated parts.
            case string text when itemSchema is "string":
                return;
            default:
                errors.Add($"{path}: expected a list, got '{Describe(value)}'.");
                return;
        }
    }

    private void CheckMap(string path, object? value, Dictionary<object, object> schema, IReadOnlyDictionary<string, string> environment, List<string> errors)
    {
        if (value is null or "")
        {
            value = new Dictionary<object, object>();
        }

        if (value is not Dictionary<object, object> map)
        {
            errors.Add($"{path}: expected a map, got '{Describe(value)}'.");
            return;
        }

        var keys = Flatten(schema);
        foreach (var (key, child) in map)
        {
            var name = (string)key;
            var childSchema = keys.TryGetValue(name, out var known) ? known.Schema : keys.TryGetValue("*", out var any) ? any.Schema : null;
            if (childSchema is null)
            {
                errors.Add($"{path}::{name}: unknown key (the Collector decodes with unused keys as errors).");
                continue;
            }

            CheckNode($"{path}::{name}", child, childSchema, environment, literal: true, errors);
        }

        foreach (var (name, (_, required)) in keys)
        {
            if (required && IsEmpty(map.GetValueOrDefault(name), environment))
            {
                errors.Add($"{path}::{name}: required, and empty or missing after ${{env:…}} expansion.");
            }
        }

        if (schema.ContainsKey(OneOf))
        {
            var present = map.Keys.Cast<string>().Where(keys.ContainsKey).ToList();
            if (present.Count != 1)
            {
                errors.Add($"{path}: needs exactly one of {string.Join(", ", keys.Keys)}; has {(present.Count == 0 ? "none" : string.Join(", ", present))}.");
            }
        }
    }

    /// <summary>The keys of a map schema with the keys of every definition it merges (<c>&lt;&lt;</c>, Go's squash); <c>key!</c> is required.</summary>
    private Dictionary<string, (object Schema, bool Required)> Flatten(Dictionary<object, object> schema)
    {
        var keys = new Dictionary<string, (object Schema, bool Required)>();
        foreach (var (key, child) in schema)
        {
            var name = (string)key;
            if (name == OneOf)
            {
                continue;
            }

            if (name == "<<")
            {
                foreach (var merged in ((List<object>)child).Cast<string>())
                {
                    foreach (var (mergedName, mergedKey) in Flatten((Dictionary<object, object>)_definitions[merged[1..]]))
                    {
                        keys.TryAdd(mergedName, mergedKey);
                    }
                }

                continue;
            }

            keys[name.TrimEnd('!')] = (child, name.EndsWith('!'));
        }

        return keys;
    }

    private static void CheckScalar(string path, object? value, string type, bool literal, List<string> errors)
    {
        if (value is null || type == "any")
        {
            return;
        }

        if (value is not string text)
        {
            errors.Add($"{path}: expected {type}, got '{Describe(value)}'.");
            return;
        }

        if (EnumType().Match(type) is { Success: true } enumType)
        {
            var allowed = enumType.Groups[1].Value.Split('|');
            if (!allowed.Contains(text, StringComparer.Ordinal))
            {
                errors.Add($"{path}: '{text}' is not one of {string.Join(", ", allowed)}.");
            }

            return;
        }

        var valid = type switch
        {
            "string" => !literal || !(Boolean().IsMatch(text) || Integer().IsMatch(text)),
            "bool" => Boolean().IsMatch(text),
            "int" => Integer().IsMatch(text),
            "float" => Integer().IsMatch(text) || Float().IsMatch(text),
            // Ours, stricter than the Collector: it takes a bare number as nanoseconds, which is never what is meant.
            "duration" => Duration().IsMatch(text),
            _ => throw new InvalidOperationException($"{path}: the schema names an unknown type '{type}'."),
        };
        if (!valid)
        {
            errors.Add($"{path}: '{text}' is not a {(type == "duration" ? "duration with a unit" : type)}.");
        }
    }

    private static bool IsEmpty(object? value, IReadOnlyDictionary<string, string> environment) => value switch
    {
        null => true,
        string text => Placeholder().Replace(text, match => environment.GetValueOrDefault(match.Groups[1].Value, "")).Trim().Length == 0,
        List<object> list => list.Count == 0,
        _ => false,
    };

    private static string Describe(object? value) => value switch
    {
        List<object> list => $"[{string.Join(", ", list.Select(Describe))}]",
        Dictionary<object, object> map => $"{{{string.Join(", ", map.Keys)}}}",
        _ => $"{value}",
    };

    [GeneratedRegex(@"^enum\(([^)]+)\)$")]
    private static partial Regex EnumType();

    [GeneratedRegex(@"^\$\{env:([A-Za-z0-9_]+)\}$")]
    private static partial Regex WholePlaceholder();

    [GeneratedRegex(@"\$\{env:([A-Za-z0-9_]+)\}")]
    private static partial Regex Placeholder();

    // YAML 1.2 core schema, as the Collector's YAML parser resolves a plain scalar.
    [GeneratedRegex("^(true|True|TRUE|false|False|FALSE)$")]
    private static partial Regex Boolean();

    [GeneratedRegex("^[-+]?([0-9]+|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();

    [GeneratedRegex(@"^(([0-9]+(\.[0-9]*)?|\.[0-9]+)(h|m|s|ms|us|µs|μs|ns))+$")]
    private static partial Regex Duration();
}
