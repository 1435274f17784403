using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// The faults in force in this service, one per kind, so that several act at once. Swapped whole and read without
/// locks: the injection points sit on every request's path.
/// </summary>
public sealed class FaultSwitch
{
    private ImmutableDictionary<FaultKind, FaultSpec> active = ImmutableDictionary<FaultKind, FaultSpec>.Empty;

    public IReadOnlyCollection<FaultSpec> Active => Volatile.Read(ref active).Values.OrderBy(spec => spec.Kind).ToList();

    public bool TryGet(FaultKind kind, [NotNullWhen(true)] out FaultSpec? spec) => Volatile.Read(ref active).TryGetValue(kind, out spec);

    public bool IsOn(FaultKind kind) => Volatile.Read(ref active).ContainsKey(kind);

    /// <summary>
    /// Whether the fault strikes this time: it is on, <paramref name="attempt"/> is within its first attempts (when it
    /// counts them), and the dice fall within its probability.
    /// </summary>
    public bool Strikes(FaultKind kind, [NotNullWhen(true)] out FaultSpec? spec, int attempt = 1)
    {
        if (!TryGet(kind, out spec))
        {
            return false;
        }

        return (spec.Attempts == 0 || attempt <= spec.Attempts) && (spec.Probability >= 1 || Random.Shared.NextDouble() < spec.Probability);
    }

    internal void Set(FaultSpec spec) => ImmutableInterlocked.AddOrUpdate(ref active, spec.Kind, spec, (_, _) => spec);

    internal void Remove(FaultKind kind) => ImmutableInterlocked.TryRemove(ref active, kind, out _);
}
