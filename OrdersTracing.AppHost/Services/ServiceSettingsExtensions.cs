using Microsoft.Extensions.Configuration;

namespace OrdersTracing.AppHost.Services;

/// <summary>Settings of a run reach every service through the AppHost, so that a scenario is chosen in one place.</summary>
public static class ServiceSettingsExtensions
{
    private const string SectionName = "ServiceSettings";

    /// <summary>
    /// Passes the AppHost's <c>ServiceSettings</c> section to a service as its own configuration, so that a run can
    /// switch the services' scenarios and thresholds without editing them:
    /// <c>./run.sh --ServiceSettings:Scenarios:Payments=Synchronous</c> gives every service <c>Scenarios:Payments</c>.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceSettings(this IResourceBuilder<ProjectResource> service)
    {
        var section = service.ApplicationBuilder.Configuration.GetSection(SectionName);
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is not null)
            {
                service.WithEnvironment(key.Replace(":", "__", StringComparison.Ordinal), value);
            }
        }

        return service;
    }
}
