using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace OrdersTracing.Benchmarks.Export;

/// <summary>
/// An OTLP receiver that reads each request whole and throws it away: the fastest receiver there can be, so that the
/// export path, and the overhead runs' Api, are measured on their own, not the receiver behind them. OTLP/HTTP for all
/// three signals (an empty protobuf body is a valid, fully successful response to each), and OTLP/gRPC for traces on a
/// port of its own (HTTP/2 without TLS: one empty message and <c>grpc-status: 0</c>).
/// </summary>
public static class DiscardingReceiver
{
    private const string GrpcTraceExport = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    // A gRPC message frame: not compressed, length 0 (an empty ExportTraceServiceResponse).
    private static readonly byte[] EmptyGrpcMessage = [0, 0, 0, 0, 0];

    /// <summary>Usage: <c>sink --urls http://127.0.0.1:4318 [--grpc-port 4317]</c>; runs until stopped.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var grpcPort = GrpcPort(ref args);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (grpcPort is { } port)
        {
            // Listening explicitly replaces --urls, so the HTTP/1.1 addresses are listened on here too.
            var urls = (builder.Configuration["urls"] ?? "http://127.0.0.1:4318").Split(';', StringSplitOptions.RemoveEmptyEntries);
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                foreach (var url in urls)
                {
                    kestrel.Listen(System.Net.IPAddress.Loopback, new Uri(url).Port);
                }

                kestrel.Listen(System.Net.IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2);
            });
        }

        var app = builder.Build();
        foreach (var signal in new[] { "traces", "metrics", "logs" })
        {
            app.MapPost($"/v1/{signal}", async (HttpContext context) =>
            {
                await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
                return Results.Bytes([], "application/x-protobuf");
            });
        }

        app.MapPost(GrpcTraceExport, async (HttpContext context) =>
        {
            await context.Request.Body.CopyToAsync(Stream.Null, context.RequestAborted);
            context.Response.ContentType = "application/grpc";
            await context.Response.Body.WriteAsync(EmptyGrpcMessage, context.RequestAborted);
            context.Response.AppendTrailer("grpc-status", "0");
        });
        app.MapGet("/alive", () => Results.Ok());
        await app.RunAsync();
        return 0;
    }

    private static int? GrpcPort(ref string[] args)
    {
        var index = Array.IndexOf(args, "--grpc-port");
        if (index < 0 || index + 1 >= args.Length)
        {
            return null;
        }

        var port = int.Parse(args[index + 1], CultureInfo.InvariantCulture);
        args = [.. args[..index], .. args[(index + 2)..]];
        return port;
    }
}
