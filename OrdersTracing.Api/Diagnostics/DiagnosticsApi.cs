using System.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace OrdersTracing.Api.Diagnostics;

/// <summary>
/// What the benchmark (<c>bench/run.sh</c>) needs from the Api besides its business endpoints: a trivial endpoint that
/// costs only the HTTP pipeline and its tracing, and the process's own allocation and memory figures.
/// </summary>
public static class DiagnosticsApi
{
    /// <summary>
    /// No database, no caller identity: what is left is the server span and the pipeline, the floor under which
    /// tracing overhead shows most. Unlike the health probes it is traced like any endpoint.
    /// </summary>
    public static RouteHandlerBuilder MapPingApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/ping", () => TypedResults.Text("pong")).WithTags("Diagnostics");

    /// <summary>
    /// Bytes allocated and memory held by this process, read before and after a load run to give bytes per request.
    /// Mapped in development only: it tells an outsider how busy the service is.
    /// </summary>
    public static RouteHandlerBuilder MapProcessStatsApi(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/process", GetProcessStats).WithTags("Admin");

    private static Ok<ProcessStats> GetProcessStats()
    {
        using var process = Process.GetCurrentProcess();
        return TypedResults.Ok(new ProcessStats(
            GC.GetTotalAllocatedBytes(precise: true),
            process.WorkingSet64,
            GC.GetGCMemoryInfo().HeapSizeBytes,
            GC.CollectionCount(0),
            GC.CollectionCount(2)));
    }
}

/// <param name="AllocatedBytes">Every byte allocated on the managed heap since the process started, on all threads.</param>
/// <param name="WorkingSetBytes">The resident memory of the process.</param>
/// <param name="HeapSizeBytes">The managed heap after the last collection.</param>
public sealed record ProcessStats(long AllocatedBytes, long WorkingSetBytes, long HeapSizeBytes, int Gen0Collections, int Gen2Collections);
