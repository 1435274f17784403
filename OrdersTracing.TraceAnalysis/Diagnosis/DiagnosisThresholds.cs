using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// How much of a request's critical path a span's own time must hold before the diagnosis names it a cause. Both an
/// absolute floor and a share of the request: a healthy request spends its time somewhere too, and a cause that is a
/// large share of a 10 ms request is not worth anyone's time. Errors need no threshold: an error is a cause.
/// </summary>
public sealed class DiagnosisThresholds
{
    /// <summary>The configuration section the Trace doctor binds; the messages below name their keys in it.</summary>
    public const string SectionName = "Tracing:Diagnosis";

    public static DiagnosisThresholds Default { get; } = new();

    /// <summary>The least share of the request on the critical path a cause must hold.</summary>
    [Range(0.0, 1.0, ErrorMessage = "Tracing:Diagnosis:MinimumShare must be between 0 and 1.")]
    public double MinimumShare { get; set; } = 0.2;

    /// <summary>
    /// A statement's own time that makes it a slow query or a lock wait: a local or same-zone Postgres answers an
    /// indexed statement in a few milliseconds, and a large tenant's listing without its index takes about 50.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Tracing:Diagnosis:MinimumStatementTime must be between 1 ms and 1 day.")]
    public TimeSpan MinimumStatementTime { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>A called service's own time (or an un-traced dependency's) that makes it slow: above a payment provider's usual 50 to 100 ms.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Tracing:Diagnosis:MinimumDependencyTime must be between 1 ms and 1 day.")]
    public TimeSpan MinimumDependencyTime { get; set; } = TimeSpan.FromMilliseconds(150);

    /// <summary>A span's own time under no child (un-instrumented work, a cold start, a wait for a connection) that makes it a cause.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00", ErrorMessage = "Tracing:Diagnosis:MinimumOwnTime must be between 1 ms and 1 day.")]
    public TimeSpan MinimumOwnTime { get; set; } = TimeSpan.FromMilliseconds(100);
}
