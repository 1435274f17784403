using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>
/// How a service labels its traces; bound from the <c>Tracing</c> configuration section and validated at start-up, so
/// that a typo stops the service instead of filing its traces under an environment nobody searches.
/// </summary>
public sealed class TracingOptions
{
    public const string SectionName = "Tracing";

    /// <summary>The <c>deployment.environment</c> resource attribute every span carries.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Tracing:DeploymentEnvironment is required.")]
    [RegularExpression("^[a-z0-9][a-z0-9._-]*$", ErrorMessage = "Tracing:DeploymentEnvironment must be lowercase letters, digits, '.', '_' or '-'.")]
    public string DeploymentEnvironment { get; set; } = "development";
}
