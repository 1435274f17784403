namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// Who calls whom, built from traces rather than from configuration, so it shows the calls that really happen,
/// how often and how often they fail.
/// </summary>
public sealed record DependencyGraph(IReadOnlyList<DependencyNode> Nodes, IReadOnlyList<DependencyEdge> Edges)
{
    /// <summary>
    /// Nodes are the services that emitted spans, plus a virtual node per database system (<c>db.system.name</c>
    /// or <c>db.system</c>, e.g. "postgresql") and per external peer (<c>server.address</c> of a client span with
    /// no server child in the trace). An edge comes from a client span whose server child belongs to another
    /// service, or from a client span to a virtual node; it is an error when the client span's status is Error,
    /// when the server child's is, or when either reports an HTTP status of 500 or more.
    /// </summary>
    public static DependencyGraph Build(IEnumerable<IReadOnlyList<TraceSpan>> traces)
    {
        ArgumentNullException.ThrowIfNull(traces);

        var nodes = new Dictionary<string, DependencyNode>();
        var edges = new Dictionary<(string Caller, string Callee), (int Calls, int Errors)>();

        foreach (var trace in traces)
        {
            var tree = new TraceTree(trace);
            foreach (var span in trace)
            {
                nodes.TryAdd(span.Service, new DependencyNode(span.Service, DependencyNodeKind.Service));
                if (span.Kind != TraceSpanKind.Client || Call(span, tree) is not { } call)
                {
                    continue;
                }

                nodes.TryAdd(call.Callee.Name, call.Callee);
                var (calls, errors) = edges.GetValueOrDefault((span.Service, call.Callee.Name));
                edges[(span.Service, call.Callee.Name)] = (calls + 1, errors + (call.Failed ? 1 : 0));
            }
        }

        return new DependencyGraph(
            [.. nodes.Values.OrderBy(node => node.Kind).ThenBy(node => node.Name, StringComparer.Ordinal)],
            [.. edges.Select(edge => new DependencyEdge(edge.Key.Caller, edge.Key.Callee, edge.Value.Calls, edge.Value.Errors))
                .OrderBy(edge => edge.Caller, StringComparer.Ordinal).ThenBy(edge => edge.Callee, StringComparer.Ordinal)]);
    }

    public DependencyEdge? Edge(string caller, string callee) =>
        Edges.FirstOrDefault(edge => edge.Caller == caller && edge.Callee == callee);

    private static (DependencyNode Callee, bool Failed)? Call(TraceSpan client, TraceTree tree)
    {
        var clientFailed = client.Status == TraceSpanStatus.Error || client.HasServerError();

        if (client.DatabaseSystem() is { } database)
        {
            // EF Core and the ADO.NET driver can both trace one query, nested; count it once.
            return tree.Parent(client) is { Kind: TraceSpanKind.Client } parent && parent.DatabaseSystem() == database
                ? null
                : (new DependencyNode(database, DependencyNodeKind.Database), clientFailed);
        }

        var servers = tree.Children(client).Where(child => child.Kind == TraceSpanKind.Server).ToList();
        if (servers.Count > 0)
        {
            var server = servers[0];
            return server.Service == client.Service
                ? null
                : (new DependencyNode(server.Service, DependencyNodeKind.Service),
                    clientFailed || server.Status == TraceSpanStatus.Error || server.HasServerError());
        }

        return client[SpanAttributes.ServerAddress] is { Length: > 0 } address
            ? (new DependencyNode(address, DependencyNodeKind.External), clientFailed)
            : null;
    }
}

public enum DependencyNodeKind
{
    Service,
    Database,
    External,
}

public sealed record DependencyNode(string Name, DependencyNodeKind Kind);

/// <param name="Errors">Calls that failed, as seen by the caller or the callee.</param>
public sealed record DependencyEdge(string Caller, string Callee, int Calls, int Errors);
