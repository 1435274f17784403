using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.Benchmarks.Export;

/// <summary>
/// An OTLP/HTTP receiver that reads each request whole and throws it away: the fastest receiver there can be, so that
/// the export path is measured on its own, not the receiver behind it. An empty protobuf body is a valid, fully
/// successful <c>ExportTraceServiceResponse</c>.
/// </summary>
public static class DiscardingReceiver
{
    /// <summary>Usage: <c>sink --urls http://127.0.0.1:4318</c>; runs until stopped.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var app = builder.Build();
        app.MapPost("/v1/traces", async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            return Results.Bytes([], "application/x-protobuf");
        });
        app.MapGet("/alive", () => Results.Ok());
        await app.RunAsync();
        return 0;
    }
}
