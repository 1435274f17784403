using System.Diagnostics;
using System.Runtime;
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
        var memory = GC.GetGCMemoryInfo();
        var generations = new long[memory.GenerationInfo.Length];
        for (var generation = 0; generation < generations.Length; generation++)
        {
            generations[generation] = memory.GenerationInfo[generation].SizeAfterBytes;
        }

        return TypedResults.Ok(new ProcessStats(
            GC.GetTotalAllocatedBytes(precise: true),
            process.WorkingSet64,
            memory.HeapSizeBytes,
            GC.CollectionCount(0),
            GC.CollectionCount(2),
            generations,
            memory.FragmentedBytes,
            memory.PromotedBytes,
            memory.TotalCommittedBytes,
            GCSettings.IsServerGC,
            JitInfo.GetCompiledMethodCount(),
            ThreadPool.ThreadCount));
    }
}

/// <param name="AllocatedBytes">Every byte allocated on the managed heap since the process started, on all threads.</param>
/// <param name="WorkingSetBytes">The resident memory of the process.</param>
/// <param name="HeapSizeBytes">The managed heap after the last collection.</param>
/// <param name="GenerationSizesAfterBytes">
/// Each generation's size after the last collection (gen 0, 1, 2, large and pinned object heaps): where the heap is.
/// </param>
/// <param name="FragmentedBytes">Free space inside the heap after the last collection, counted in the heap's size.</param>
/// <param name="PromotedBytes">What survived the last collection: the live part of what it collected.</param>
/// <param name="CommittedBytes">Memory the GC holds from the operating system.</param>
/// <param name="ServerGc">Whether the process runs the server GC, which the benchmark's settings must say alike for every process.</param>
/// <param name="JitCompiledMethods">
/// Methods compiled so far, tier-ups included: a count that still moves during a measured load means the JIT's work is
/// in the figure.
/// </param>
/// <param name="ThreadPoolThreads">The thread pool's threads now.</param>
public sealed record ProcessStats(
    long AllocatedBytes,
    long WorkingSetBytes,
    long HeapSizeBytes,
    int Gen0Collections,
    int Gen2Collections,
    long[] GenerationSizesAfterBytes,
    long FragmentedBytes,
    long PromotedBytes,
    long CommittedBytes,
    bool ServerGc,
    long JitCompiledMethods,
    int ThreadPoolThreads);
