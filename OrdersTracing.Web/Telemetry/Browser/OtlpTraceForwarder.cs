using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using OpenTelemetry;

namespace OrdersTracing.Web.Telemetry.Browser;

/// <summary>
/// Sends the relay's protobuf export on to where Web's own telemetry goes (the dashboard in local mode, the Collector
/// in container mode), read from the standard <c>OTEL_EXPORTER_OTLP_*</c> variables the AppHost sets: gRPC unless
/// the protocol says <c>http/protobuf</c>.
/// </summary>
public sealed class OtlpTraceForwarder(HttpClient http, IConfiguration configuration, ILogger<OtlpTraceForwarder> logger)
{
    private const string GrpcExportPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

    public async Task<bool> ForwardAsync(byte[] exportTraceServiceRequest, CancellationToken cancellationToken)
    {
        var protocol = configuration["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] ?? configuration["OTEL_EXPORTER_OTLP_PROTOCOL"] ?? "grpc";
        var isHttp = protocol.StartsWith("http", StringComparison.OrdinalIgnoreCase);
        if (Endpoint(isHttp) is not { } endpoint)
        {
            logger.LogWarning("Browser spans were dropped: Web has no OTLP endpoint (OTEL_EXPORTER_OTLP_ENDPOINT).");
            return false;
        }

        using var request = isHttp ? HttpRequest(endpoint, exportTraceServiceRequest) : GrpcRequest(endpoint, exportTraceServiceRequest);
        foreach (var (name, value) in Headers())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            // The relay's own call to the backend is plumbing, not part of anyone's request: no span for it.
            using var suppressed = SuppressInstrumentationScope.Begin();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var grpcStatus = response.TrailingHeaders.TryGetValues("grpc-status", out var trailer) ? trailer.FirstOrDefault()
                : response.Headers.TryGetValues("grpc-status", out var header) ? header.FirstOrDefault()
                : null;
            if (response.IsSuccessStatusCode && (isHttp || grpcStatus == "0"))
            {
                return true;
            }

            logger.LogWarning("The OTLP backend refused browser spans: HTTP {Status}, grpc-status {GrpcStatus}.", (int)response.StatusCode, grpcStatus ?? "-");
            return false;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            logger.LogWarning("The OTLP backend could not be reached for browser spans: {Error}", exception.Message);
            return false;
        }
    }

    private Uri? Endpoint(bool isHttp)
    {
        // The signal-specific endpoint is a whole URL for OTLP/HTTP; for gRPC both are the server's address.
        if (configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] is { Length: > 0 } traces && Uri.TryCreate(traces, UriKind.Absolute, out var tracesUrl))
        {
            return tracesUrl;
        }

        return configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 } endpoint && Uri.TryCreate(endpoint, UriKind.Absolute, out var url)
            ? isHttp ? new Uri(url, "v1/traces") : url
            : null;
    }

    private static HttpRequestMessage HttpRequest(Uri endpoint, byte[] body) => new(HttpMethod.Post, endpoint)
    {
        Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/x-protobuf") } },
    };

    private static HttpRequestMessage GrpcRequest(Uri endpoint, byte[] body)
    {
        // A unary gRPC call is one length-prefixed message over HTTP/2: no gRPC library needed for it.
        var framed = new byte[5 + body.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1, 4), (uint)body.Length);
        body.CopyTo(framed, 5);
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(endpoint, GrpcExportPath))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(framed) { Headers = { ContentType = new MediaTypeHeaderValue("application/grpc") } },
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        return request;
    }

    /// <summary><c>OTEL_EXPORTER_OTLP_HEADERS</c>: the dashboard's OTLP API key travels here.</summary>
    private IEnumerable<(string Name, string Value)> Headers() =>
        (configuration["OTEL_EXPORTER_OTLP_HEADERS"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(pair => pair.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .Select(pair => (Uri.UnescapeDataString(pair[0].Trim()), Uri.UnescapeDataString(pair[1].Trim())));
}
