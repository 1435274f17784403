using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OrdersTracing.AppHost.Services;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>One Api process as the orchestrator runs it: its DCP name, its <c>service.instance.id</c>, its process and its own port.</summary>
/// <param name="ResourceId">The replica's name in the app model's state, <c>api-abcd1234</c>.</param>
/// <param name="InstanceId">The <c>service.instance.id</c> the replica's telemetry carries.</param>
/// <param name="Endpoint">The replica itself, past the proxy that spreads calls over the replicas.</param>
public sealed record ApiReplica(string ResourceId, string InstanceId, int ProcessId, Uri Endpoint);

/// <summary>
/// The application with two Api processes (<c>--Parameters:api-replicas=2</c>), for the tests of what must hold
/// whichever replica does the work. It breaks things too (a replica killed, the provider slowed), so it is an
/// application of its own.
/// </summary>
public sealed class ApiReplicasAppFixture : FaultsAppFixture
{
    public const int Replicas = 2;

    private const string ServiceInstanceIdAttribute = "service.instance.id=";

    protected override IEnumerable<string> AppHostArguments =>
    [
        .. base.AppHostArguments,
        $"--Parameters:{ServiceReplicasExtensions.ApiReplicasName}={Replicas.ToString(CultureInfo.InvariantCulture)}",
    ];

    /// <summary>Every Api replica's id in the app model's state; a replica restarted keeps its id.</summary>
    public IReadOnlyList<string> ReplicaIds { get; private set; } = [];

    /// <summary>The replicas as they run now; each must be running.</summary>
    public IReadOnlyList<ApiReplica> CurrentReplicas() => [.. ReplicaIds.Select(Replica)];

    /// <summary>Waits until every replica answers its health check: the fixture's base waits for the first only.</summary>
    public async Task WaitForAllReplicasHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var replica in ReplicaIds)
        {
            await App.ResourceNotifications.WaitForResourceAsync(
                "api", resourceEvent => resourceEvent.ResourceId == replica && resourceEvent.Snapshot.HealthStatus == HealthStatus.Healthy,
                cancellationToken);
        }
    }

    /// <summary>
    /// The replicas whose outbox worker holds claimed payments right now: a claim is a transaction holding
    /// <c>FOR UPDATE</c> on <c>payment_outbox</c>, and Postgres names the client port it came from.
    /// </summary>
    public async Task<IReadOnlyList<ApiReplica>> ReplicasHoldingClaimsAsync()
    {
        await using var db = await OpenDatabaseAsync();
        await using var query = new Npgsql.NpgsqlCommand(
            """
            SELECT DISTINCT a.client_port FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.relation = 'payment_outbox'::regclass AND l.mode = 'RowShareLock' AND a.client_port IS NOT NULL
            """, db);
        var ports = new HashSet<int>();
        await using (var reader = await query.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                ports.Add(reader.GetInt32(0));
            }
        }

        return [.. CurrentReplicas().Where(replica => LocalProcesses.TcpPortsOf(replica.ProcessId).Overlaps(ports))];
    }

    /// <summary>A client of one replica, signing tokens as Web does.</summary>
    public HttpClient CreateReplicaClient(ApiReplica replica) => CreateApiClient(replica.Endpoint);

    protected override async ValueTask OnStartedAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        ReplicaIds = await ReadReplicaIdsAsync(timeout.Token);
        await WaitForAllReplicasHealthyAsync(timeout.Token);
    }

    // The app model keeps the names it gave the replicas to itself; its state events carry them.
    private async Task<IReadOnlyList<string>> ReadReplicaIdsAsync(CancellationToken cancellationToken)
    {
        var ids = new SortedSet<string>(StringComparer.Ordinal);
        await foreach (var resourceEvent in App.ResourceNotifications.WatchAsync(cancellationToken))
        {
            if (resourceEvent.Resource.Name == "api" && ids.Add(resourceEvent.ResourceId) && ids.Count == Replicas)
            {
                break;
            }
        }

        return [.. ids];
    }

    private ApiReplica Replica(string resourceId)
    {
        if (!App.ResourceNotifications.TryGetCurrentState(resourceId, out var state))
        {
            throw new InvalidOperationException($"No state for replica '{resourceId}'.");
        }

        var snapshot = state.Snapshot;
        string Variable(string name) => snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == name)?.Value
            ?? throw new InvalidOperationException($"Replica '{resourceId}' has no {name}; its variables: {string.Join(", ", snapshot.EnvironmentVariables.Select(variable => variable.Name))}.");

        var attributes = Variable("OTEL_RESOURCE_ATTRIBUTES").Split(',');
        var instanceId = attributes.Single(attribute => attribute.StartsWith(ServiceInstanceIdAttribute, StringComparison.Ordinal))[ServiceInstanceIdAttribute.Length..];
        var url = Variable("ASPNETCORE_URLS").Split(';')[0];
        var pid = snapshot.Properties.Single(property => property.Name == "executable.pid").Value;
        return new ApiReplica(resourceId, instanceId, Convert.ToInt32(pid, CultureInfo.InvariantCulture), new Uri(url));
    }
}

[CollectionDefinition(Name)]
public sealed class ApiReplicasCollection : ICollectionFixture<ApiReplicasAppFixture>
{
    public const string Name = "Api replicas";
}
