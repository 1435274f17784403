using Microsoft.Extensions.DependencyInjection;

namespace OrdersTracing.AppHost.Telemetry;

/// <summary>The Aspire dashboard as other resources see it.</summary>
public static class Dashboard
{
    private const string ResourceName = "aspire-dashboard";
    public const string OtlpGrpcEndpointName = "otlp-grpc";

    /// <summary>
    /// The first of the dashboard's endpoints that exists, or null where there is no dashboard (publishing, app-model
    /// tests). The dashboard joins the model at start-up on ports chosen then, so this is only known in a callback.
    /// </summary>
    public static EndpointReference? FindEndpoint(EnvironmentCallbackContext context, params string[] endpointNames)
    {
        if (context.ExecutionContext.IsPublishMode)
        {
            return null;
        }

        var model = context.ExecutionContext.Services.GetRequiredService<DistributedApplicationModel>();
        if (model.Resources.FirstOrDefault(resource => resource.Name == ResourceName) is not IResourceWithEndpoints dashboard)
        {
            return null;
        }

        return endpointNames.Select(dashboard.GetEndpoint).FirstOrDefault(endpoint => endpoint.Exists);
    }
}
