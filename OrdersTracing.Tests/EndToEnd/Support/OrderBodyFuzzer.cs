using System.Text;
using System.Text.Json.Nodes;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// Order bodies made by mutating a valid one: type swaps, removed, duplicated and unknown fields, huge and negative
/// numbers, unicode, deep nesting, truncation and flipped characters. Seeded, so a failure is reproduced by its seed.
/// </summary>
public sealed class OrderBodyFuzzer(int seed)
{
    private static readonly JsonNode?[] Replacements =
    [
        null, true, 0, -1, 1001, 2147483648, long.MaxValue, 1e308, -1e-308, 0.001, 12.345, "1", "", "many", "☕", "\u0000", "‮evil",
        "x'; DROP TABLE orders; --", "1 OR 1=1", new string('a', 65), new string('é', 5000), new JsonArray(), new JsonObject(),
        new JsonArray(1, 2, 3), new JsonObject { ["sku"] = "tea" },
    ];

    private const string FlipTo = "{}[]:,\"\\0-9.e ☕";

    private readonly Random random = new(seed);

    public static string Valid() => Template().ToJsonString();

    public string Next()
    {
        var body = Template();
        for (var mutations = random.Next(2, 5); mutations > 0; mutations--)
        {
            MutateTree(body);
        }

        var text = body.ToJsonString();
        return random.Next(6) switch
        {
            0 => Truncate(text),
            1 => Flip(text),
            2 => DuplicateProperty(text),
            _ => text,
        };
    }

    private static JsonObject Template() => new()
    {
        ["items"] = new JsonArray(
            new JsonObject { ["sku"] = "coffee-beans", ["quantity"] = 2, ["unitPrice"] = 9.5m },
            new JsonObject { ["sku"] = "filter-papers", ["quantity"] = 1, ["unitPrice"] = 3.25m }),
        ["paymentMethod"] = "pm_card_visa",
    };

    private void MutateTree(JsonObject body)
    {
        var (parent, key) = PickProperty(body);
        switch (random.Next(6))
        {
            case 0:
                parent[key] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                break;
            case 1:
                parent.Remove(key);
                break;
            case 2:
                parent[$"unknown{random.Next(100)}"] = Replacements[random.Next(Replacements.Length)]?.DeepClone();
                break;
            case 3:
                parent[key] = Nest(parent[key]?.DeepClone(), random.Next(1, 80));
                break;
            case 4 when body["items"] is JsonArray items && items.Count > 0:
                var item = items[0]!;
                for (var copies = random.Next(1, 60); copies > 0; copies--)
                {
                    items.Add(item.DeepClone());
                }

                break;
            default:
                parent[key] = random.Next(2) == 0 ? random.NextInt64(long.MinValue, long.MaxValue) : (decimal)random.NextDouble() * 1_000_000m;
                break;
        }
    }

    private (JsonObject Parent, string Key) PickProperty(JsonObject body)
    {
        var objects = new List<JsonObject> { body };
        if (body["items"] is JsonArray items)
        {
            objects.AddRange(items.OfType<JsonObject>());
        }

        var parent = objects[random.Next(objects.Count)];
        var keys = parent.Select(property => property.Key).ToList();
        return (parent, keys.Count == 0 ? "items" : keys[random.Next(keys.Count)]);
    }

    private static JsonNode Nest(JsonNode? value, int depth)
    {
        var node = value ?? JsonValue.Create(0);
        for (var i = 0; i < depth; i++)
        {
            node = i % 2 == 0 ? new JsonArray(node) : new JsonObject { ["v"] = node };
        }

        return node;
    }

    private string Truncate(string text) => text[..random.Next(text.Length)];

    private string Flip(string text)
    {
        var chars = new StringBuilder(text);
        for (var flips = random.Next(1, 4); flips > 0; flips--)
        {
            chars[random.Next(chars.Length)] = FlipTo[random.Next(FlipTo.Length)];
        }

        return chars.ToString();
    }

    // JsonObject cannot hold a key twice; the text can, and System.Text.Json keeps the last.
    private string DuplicateProperty(string text) =>
        text.Insert(1, random.Next(2) == 0 ? "\"items\":[]," : "\"paymentMethod\":\"pm_card_visa\",");
}
