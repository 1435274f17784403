using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// Span lists handed back when their root has been analysed, so that a busy service reuses grown lists instead of
/// growing a new one per request: a few slots taken and returned with one exchange each, no lock, bounded memory.
/// </summary>
internal static class SpanListPool
{
    private const int SlotCount = 16;
    private const int LargestKept = 4096;
    private static readonly List<DetectedSpan>?[] Slots = new List<DetectedSpan>?[SlotCount];

    public static List<DetectedSpan> Rent()
    {
        for (var i = 0; i < SlotCount; i++)
        {
            if (Interlocked.Exchange(ref Slots[i], null) is { } list)
            {
                return list;
            }
        }

        return new List<DetectedSpan>(32);
    }

    public static void Return(List<DetectedSpan> list)
    {
        if (list.Capacity > LargestKept)
        {
            return;
        }

        list.Clear();
        for (var i = 0; i < SlotCount; i++)
        {
            if (Interlocked.CompareExchange(ref Slots[i], list, null) is null)
            {
                return;
            }
        }
    }
}
