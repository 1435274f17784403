using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace OrdersTracing.ServiceDefaults.Telemetry.Sampling;

/// <summary>
/// The standard <c>OTEL_TRACES_SAMPLER</c> and <c>OTEL_TRACES_SAMPLER_ARG</c>, read only to be checked at start-up: the
/// SDK builds the sampler from them itself, but a name or a ratio it cannot use it ignores, with a warning on its
/// EventSource alone, and keeps every new trace where the operator meant to keep a share. Unset, the SDK's default is
/// <c>parentbased_always_on</c>: keep-all, because tail sampling in the Collector decides what is stored, and it can
/// only keep an error trace whose spans it received.
/// </summary>
internal sealed class HeadSamplingOptions
{
    public const string SamplerVariable = "OTEL_TRACES_SAMPLER";
    public const string SamplerArgVariable = "OTEL_TRACES_SAMPLER_ARG";

    /// <summary>The setting these variables replaced; still set, it would be ignored and every trace kept.</summary>
    public const string RemovedRatioSetting = "Tracing:SamplingRatio";

    /// <summary>The samplers opentelemetry-dotnet builds from <see cref="SamplerVariable"/>, compared as it compares them.</summary>
    public static readonly string[] KnownSamplers =
        ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"];

    /// <summary>The samplers that read their ratio from <see cref="SamplerArgVariable"/>.</summary>
    public static readonly string[] RatioSamplers = ["traceidratio", "parentbased_traceidratio"];

    [ConfigurationKeyName(SamplerVariable)]
    public string? Sampler { get; set; }

    [ConfigurationKeyName(SamplerArgVariable)]
    public string? SamplerArg { get; set; }

    [ConfigurationKeyName(RemovedRatioSetting)]
    public string? RemovedRatio { get; set; }
}

/// <summary>Stops the service at start-up when the standard variables name a sampler or a ratio the SDK would ignore.</summary>
internal sealed class HeadSamplingValidation : IValidateOptions<HeadSamplingOptions>
{
    public ValidateOptionsResult Validate(string? name, HeadSamplingOptions options)
    {
        if (options.RemovedRatio is not null)
        {
            return ValidateOptionsResult.Fail(
                $"{HeadSamplingOptions.RemovedRatioSetting} is no longer read: set {HeadSamplingOptions.SamplerVariable}=parentbased_traceidratio and {HeadSamplingOptions.SamplerArgVariable}={options.RemovedRatio} instead.");
        }

        // Blank is unset, for the SDK as here.
        if (string.IsNullOrWhiteSpace(options.Sampler))
        {
            return ValidateOptionsResult.Success;
        }

        if (!HeadSamplingOptions.KnownSamplers.Contains(options.Sampler, StringComparer.OrdinalIgnoreCase))
        {
            return ValidateOptionsResult.Fail(
                $"{HeadSamplingOptions.SamplerVariable} '{options.Sampler}' is not a sampler OpenTelemetry .NET knows: {string.Join(", ", HeadSamplingOptions.KnownSamplers)}.");
        }

        // Without a ratio the SDK keeps every trace, as the specification's default of 1 asks.
        if (!HeadSamplingOptions.RatioSamplers.Contains(options.Sampler, StringComparer.OrdinalIgnoreCase) || string.IsNullOrWhiteSpace(options.SamplerArg))
        {
            return ValidateOptionsResult.Success;
        }

        // Parsed as the SDK parses it; NaN and the infinities fail the range too.
        return double.TryParse(options.SamplerArg, NumberStyles.Float | NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var ratio)
            && ratio is >= 0.0 and <= 1.0
                ? ValidateOptionsResult.Success
                : ValidateOptionsResult.Fail(
                    $"{HeadSamplingOptions.SamplerArgVariable} '{options.SamplerArg}' must be a number between 0 and 1, the share of new root traces the {options.Sampler} sampler keeps.");
    }
}
