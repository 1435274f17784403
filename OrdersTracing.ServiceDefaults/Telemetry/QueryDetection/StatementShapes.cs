using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// The normalised shapes of the statements a service runs, remembered: an ORM sends the same few statements again and
/// again (often the very same string), so a repeated query costs a lookup instead of a pass over its text and a new string.
/// </summary>
/// <remarks>
/// Direct-mapped and fixed in size, as a CPU cache is: a statement whose slot is taken replaces the one there, so memory
/// stays bounded however many different statements come by, and reads take no lock (an entry is immutable and published
/// whole).
/// </remarks>
internal static class StatementShapes
{
    private const int SlotCount = 256;
    private static readonly Entry?[] Slots = new Entry?[SlotCount];

    public static string Of(string statement)
    {
        if (statement.Length == 0)
        {
            return string.Empty;
        }

        ref var slot = ref Slots[Slot(statement)];
        var entry = Volatile.Read(ref slot);
        if (entry is not null && (ReferenceEquals(entry.Statement, statement) || string.Equals(entry.Statement, statement, StringComparison.Ordinal)))
        {
            return entry.Shape;
        }

        var shape = SqlNormalizer.Normalize(statement);
        Volatile.Write(ref slot, new Entry(statement, shape));
        return shape;
    }

    // The length and three characters spread over the text tell most statements apart without reading all of it; the
    // comparison above settles the rest.
    private static int Slot(string statement) =>
        HashCode.Combine(statement.Length, statement[statement.Length / 2], statement[statement.Length * 3 / 4], statement[^1]) & (SlotCount - 1);

    private sealed record Entry(string Statement, string Shape);
}
