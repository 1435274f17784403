using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace OrdersTracing.ServiceDefaults.Telemetry.QueryDetection;

/// <summary>
/// A span as a dictionary key, by reference: no span id to parse or hash, and, as a struct with its own equality,
/// no comparer to call through an interface.
/// </summary>
internal readonly struct SpanKey(Activity span) : IEquatable<SpanKey>
{
    public Activity Span { get; } = span;

    public bool Equals(SpanKey other) => ReferenceEquals(Span, other.Span);

    public override bool Equals(object? obj) => obj is SpanKey other && Equals(other);

    public override int GetHashCode() => RuntimeHelpers.GetHashCode(Span);
}
