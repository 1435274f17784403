using System.Globalization;
using System.Net;
using System.Text;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Web.TraceDoctor;

/// <summary>
/// Draws a <see cref="DependencyGraph"/> as inline SVG on the server, so the page needs no script: one column per
/// call depth from the entry services, callers to the left of what they call.
/// </summary>
public static class DependencyGraphSvg
{
    private const int NodeWidth = 170;
    private const int NodeHeight = 40;
    private const int ColumnGap = 150;
    private const int RowGap = 34;
    private const int Margin = 20;

    public static string Render(DependencyGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);

        var depths = Depths(graph);
        var positions = new Dictionary<string, (int X, int Y)>();
        foreach (var column in graph.Nodes.GroupBy(node => depths[node.Name]))
        {
            var row = 0;
            foreach (var node in column)
            {
                positions[node.Name] = (Margin + column.Key * (NodeWidth + ColumnGap), Margin + row++ * (NodeHeight + RowGap));
            }
        }

        var width = positions.Values.DefaultIfEmpty().Max(p => p.X) + NodeWidth + Margin;
        var height = positions.Values.DefaultIfEmpty().Max(p => p.Y) + NodeHeight + Margin;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" class="dependency-graph" data-dependency-graph viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-label="Dependency graph">""");
        svg.Append("""<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="#5b6475"/></marker></defs>""");

        foreach (var edge in graph.Edges)
        {
            var (from, to) = (positions[edge.Caller], positions[edge.Callee]);
            var (x1, y1) = (from.X + NodeWidth, from.Y + NodeHeight / 2);
            var (x2, y2) = to.X > from.X ? (to.X, to.Y + NodeHeight / 2) : (to.X + NodeWidth / 2, to.Y + (to.Y > from.Y ? 0 : NodeHeight));
            var label = edge.Errors > 0 ? $"{Count(edge.Calls, "call")} · {Count(edge.Errors, "error")}" : Count(edge.Calls, "call");
            svg.Append(CultureInfo.InvariantCulture,
                $"""<g class="edge{(edge.Errors > 0 ? " failing" : "")}" data-edge="{Escape(edge.Caller)}→{Escape(edge.Callee)}" data-calls="{edge.Calls}" data-errors="{edge.Errors}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" marker-end="url(#arrow)"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{(x1 + x2) / 2}" y="{(y1 + y2) / 2 - 6}" text-anchor="middle">{Escape(label)}</text></g>""");
        }

        foreach (var node in graph.Nodes)
        {
            var (x, y) = positions[node.Name];
            var kind = node.Kind.ToString().ToLowerInvariant();
            svg.Append(CultureInfo.InvariantCulture, $"""<g class="node {kind}" data-node="{Escape(node.Name)}" data-node-kind="{kind}">""");
            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{x}" y="{y}" width="{NodeWidth}" height="{NodeHeight}" rx="{(node.Kind == DependencyNodeKind.Database ? 18 : 6)}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{x + NodeWidth / 2}" y="{y + NodeHeight / 2 + 5}" text-anchor="middle">{Escape(Shorten(node.Name))}<title>{Escape(node.Name)} ({kind})</title></text></g>""");
        }

        return svg.Append("</svg>").ToString();
    }

    /// <summary>Shortest call distance from a node nobody calls; a node only reachable through a cycle starts a column of its own.</summary>
    private static Dictionary<string, int> Depths(DependencyGraph graph)
    {
        var depths = new Dictionary<string, int>();
        var callees = graph.Edges.ToLookup(edge => edge.Caller, edge => edge.Callee);
        var called = graph.Edges.Select(edge => edge.Callee).ToHashSet();
        var entries = graph.Nodes.Where(node => !called.Contains(node.Name)).Concat(graph.Nodes);

        foreach (var entry in entries.Where(node => !depths.ContainsKey(node.Name)))
        {
            depths[entry.Name] = 0;
            var queue = new Queue<string>([entry.Name]);
            while (queue.TryDequeue(out var caller))
            {
                foreach (var callee in callees[caller].Where(callee => !depths.ContainsKey(callee)))
                {
                    depths[callee] = depths[caller] + 1;
                    queue.Enqueue(callee);
                }
            }
        }

        return depths;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private static string Shorten(string name) => name.Length <= 22 ? name : name[..21] + "…";

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
