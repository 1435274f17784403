using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>
/// How a service samples and labels its traces; bound from the <c>Tracing</c> configuration section and
/// validated at start-up so that a typo stops the service instead of silently dropping traces.
/// </summary>
public sealed class TracingOptions
{
    public const string SectionName = "Tracing";

    /// <summary>The <c>deployment.environment</c> resource attribute every span carries.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Tracing:DeploymentEnvironment is required.")]
    [RegularExpression("^[a-z0-9][a-z0-9._-]*$", ErrorMessage = "Tracing:DeploymentEnvironment must be lowercase letters, digits, '.', '_' or '-'.")]
    public string DeploymentEnvironment { get; set; } = "development";

    /// <summary>
    /// Share of new root traces to keep (0 to 1). Keep-all by default: tail sampling in the Collector decides
    /// what to store, and it can only keep an error trace whose spans it received.
    /// </summary>
    [Range(0.0, 1.0, ErrorMessage = "Tracing:SamplingRatio must be between 0 and 1.")]
    public double SamplingRatio { get; set; } = 1.0;
}
