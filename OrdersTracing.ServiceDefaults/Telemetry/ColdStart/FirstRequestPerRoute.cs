using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OrdersTracing.ServiceDefaults.Telemetry.ColdStart;

/// <summary>
/// Marks the server span of the first request of each route in this process with <see cref="TelemetryTags.AppColdStart"/>:
/// its time includes work no child span shows (JIT of the handler, the first model build, the pool's first
/// connections), which a reader, or the diagnosis, would otherwise take for slow code. A route is an endpoint (its
/// route pattern and method), so the set is as bounded as the application's endpoints.
/// </summary>
internal sealed class FirstRequestPerRoute
{
    private static readonly object True = true;

    private readonly ConcurrentDictionary<Endpoint, byte> seen = new(ReferenceEqualityComparer.Instance);

    /// <summary>Runs as the server span ends, once the request has been routed; a seen route costs one lock-free lookup.</summary>
    public void Mark(Activity activity, HttpContext context)
    {
        // ContainsKey first: TryAdd takes a lock even when the key is there.
        if (context.GetEndpoint() is not { } endpoint || seen.ContainsKey(endpoint) || !seen.TryAdd(endpoint, 0))
        {
            return;
        }

        activity.SetTag(TelemetryTags.AppColdStart, True);
    }
}
