using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// The faults that strike a request by its route: CPU spun on the request's own thread, or a wait in the service's
/// own pipeline. Both happen inside the server span and under no child span, as un-instrumented work does.
/// </summary>
internal sealed class RouteFaultMiddleware(RequestDelegate next, FaultSwitch faults)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsOwnPath(context.Request.Path))
        {
            if (Strikes(FaultKind.CpuBound, context.Request, out var cpu))
            {
                Spin(cpu.Duration);
            }

            if (Strikes(FaultKind.SlowWebStep, context.Request, out var slow))
            {
                await FaultDelay.WaitAsync(slow.Duration, context.RequestAborted);
            }
        }

        await next(context);
    }

    private bool Strikes(FaultKind kind, HttpRequest request, out FaultSpec spec)
    {
        if (!faults.Strikes(kind, out var struck))
        {
            spec = null!;
            return false;
        }

        spec = struck;
        return !FaultRoute.TryParse(struck.Target, out var route) || route.Matches(request);
    }

    // Busy on purpose: the time must be CPU, not a wait another request could use.
    private static void Spin(TimeSpan duration)
    {
        var stopwatch = Stopwatch.StartNew();
        while (stopwatch.Elapsed < duration)
        {
            Thread.SpinWait(1_000);
        }
    }

    // The probes and the switches themselves are never slowed: the dashboard must be able to switch a fault off.
    private static bool IsOwnPath(PathString path) =>
        path.StartsWithSegments(FaultControlApi.Path) || path.StartsWithSegments("/health") || path.StartsWithSegments("/alive");
}
