using Microsoft.Extensions.Logging;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>The kinds this service injects, named once where the service registers its faults.</summary>
public sealed record FaultSupport(string Service, IReadOnlySet<FaultKind> Kinds);

/// <summary>
/// Switches this service's faults: checks the settings, lets a stateful mechanism make its change, then puts the
/// fault in force. One switch at a time, so an index is never dropped and created at once.
/// </summary>
public sealed class FaultControl(FaultSwitch faults, FaultSupport support, IEnumerable<IFaultMechanism> mechanisms, ILogger<FaultControl> logger)
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<FaultKind, IFaultMechanism> mechanismsByKind = mechanisms.ToDictionary(mechanism => mechanism.Kind);

    public IReadOnlyCollection<FaultSpec> Active => faults.Active;

    /// <summary>What stops <paramref name="spec"/> from being switched on here; empty when nothing does.</summary>
    public IReadOnlyDictionary<string, string[]> Check(FaultSpec spec)
    {
        var errors = spec.Validate();
        if (errors.Count == 0 && (spec.Service != support.Service || !support.Kinds.Contains(spec.Kind)))
        {
            return new Dictionary<string, string[]>
            {
                [nameof(FaultSpec.Kind)] = [$"'{support.Service}' does not inject {spec.Kind}; it injects {string.Join(", ", support.Kinds.Order())}."],
            };
        }

        return errors;
    }

    /// <summary>Switches <paramref name="spec"/> on, replacing a fault of its kind; call <see cref="Check"/> first.</summary>
    public async Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (mechanismsByKind.TryGetValue(spec.Kind, out var mechanism))
            {
                if (faults.IsOn(spec.Kind))
                {
                    await mechanism.SwitchOffAsync(cancellationToken);
                }

                await mechanism.SwitchOnAsync(spec, cancellationToken);
            }

            faults.Set(spec);
            logger.LogWarning("Fault on: {Kind} ({Fault})", spec.Kind, spec);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <returns>Whether the fault was on.</returns>
    public async Task<bool> SwitchOffAsync(FaultKind kind, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!faults.IsOn(kind))
            {
                return false;
            }

            // Out of force first: requests stop meeting it while the mechanism undoes its change.
            faults.Remove(kind);
            if (mechanismsByKind.TryGetValue(kind, out var mechanism))
            {
                await mechanism.SwitchOffAsync(cancellationToken);
            }

            logger.LogWarning("Fault off: {Kind}", kind);
            return true;
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task SwitchAllOffAsync(CancellationToken cancellationToken)
    {
        foreach (var spec in faults.Active)
        {
            await SwitchOffAsync(spec.Kind, cancellationToken);
        }
    }
}
