namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// A fault that changes state when it is switched (drops an index, holds connections) rather than acting on each
/// request. The control endpoint answers once the change is made, so a test's next request meets the fault.
/// </summary>
public interface IFaultMechanism
{
    FaultKind Kind { get; }

    Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken);

    Task SwitchOffAsync(CancellationToken cancellationToken);
}
