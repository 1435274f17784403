using System.Globalization;

namespace OrdersTracing.AppHost.Services;

/// <summary>How many processes of a service run, set per run, because a design that holds with one process may not hold with two.</summary>
public static class ServiceReplicasExtensions
{
    public const string ApiReplicasName = "api-replicas";
    public const int MaximumReplicas = 8;

    /// <summary>
    /// Runs as many replicas of the service as <c>Parameters:&lt;name&gt;</c> says, one by default
    /// (<c>./run.sh --Parameters:api-replicas=2</c>); the AppHost's proxy in front of the service's endpoint spreads
    /// the connections that reach it through service discovery over them. The replicas share nothing but the
    /// database, which is what the design has to hold with (<c>docs/scaling.md</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithReplicasFromParameter(this IResourceBuilder<ProjectResource> service, string name)
    {
        var configured = service.ApplicationBuilder.Configuration[$"Parameters:{name}"];
        if (string.IsNullOrEmpty(configured))
        {
            return service;
        }

        return int.TryParse(configured, NumberStyles.None, CultureInfo.InvariantCulture, out var replicas) && replicas is >= 1 and <= MaximumReplicas
            ? service.WithReplicas(replicas)
            : throw new DistributedApplicationException($"Parameters:{name} is '{configured}'; it must be a whole number of replicas from 1 to {MaximumReplicas}.");
    }
}
