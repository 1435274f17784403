using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// The limits of the relay that carries the pages' spans into the trace (section <c>BrowserTelemetry</c>). Anyone can
/// post to it, so every figure bounds what one client can cost Web and the backend.
/// </summary>
public sealed class BrowserTelemetryOptions
{
    public const string SectionName = "BrowserTelemetry";

    /// <summary>The pages' exporter sends at most <see cref="MaxSpansPerRequest"/> spans of a few hundred bytes each.</summary>
    [Range(1_024, 4 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 64 * 1024;

    [Range(1, 10_000)]
    public int MaxSpansPerRequest { get; set; } = 100;

    /// <summary>
    /// Requests one client address may send per <see cref="RateWindow"/>; a page load sends one or two, and a person
    /// clicking through pages quickly, or a few behind one address, stays well under it.
    /// </summary>
    [Range(1, 100_000)]
    public int RequestsPerWindow { get; set; } = 60;

    public TimeSpan RateWindow { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 128)]
    public int MaxAttributesPerSpan { get; set; } = 32;

    [Range(0, 256)]
    public int MaxEventsPerSpan { get; set; } = 32;

    /// <summary>Longer string values are cut here, as an SDK's attribute value length limit does.</summary>
    [Range(16, 8_192)]
    public int MaxValueLength { get; set; } = 1_024;
}
