using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using static OrdersTracing.Tests.EndToEnd.FaultyOtlpBackend;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// The application with its telemetry sent through a <see cref="FaultyOtlpBackend"/>, hung from the first moment; the
/// exporter's timeout is 3 s, so that a hung backend shows within a test's time.
/// </summary>
public sealed class FaultyTelemetryBackendFixture : OrdersAppFixture
{
    public const int ExporterTimeoutMilliseconds = 3000;

    public FaultyOtlpBackend Backend { get; } = new(BackendMode.BlackHole);

    public ResourceConsole ApiConsole { get; private set; } = null!;

    protected override IEnumerable<string> AppHostArguments =>
    [
        $"--Telemetry:OtlpEndpoint={Backend.Endpoint}",
        $"--ServiceSettings:OTEL_EXPORTER_OTLP_TIMEOUT={ExporterTimeoutMilliseconds}",
    ];

    protected override ValueTask OnStartedAsync()
    {
        Backend.ForwardTo(App.GetEndpoint("aspire-dashboard", "otlp-grpc"));
        ApiConsole = new ResourceConsole(App, "api");
        return ValueTask.CompletedTask;
    }

    protected override async ValueTask OnDisposingAsync()
    {
        await ApiConsole.DisposeAsync();
        await Backend.DisposeAsync();
    }
}

public sealed class TelemetryBackendOutageTests(FaultyTelemetryBackendFixture fixture) : IClassFixture<FaultyTelemetryBackendFixture>
{
    private const int Requests = 40;
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(15);

    [Theory]
    [InlineData(BackendMode.BlackHole)]
    [InlineData(BackendMode.Refuse)]
    public async Task With_the_telemetry_backend_down_no_request_fails_or_waits_drops_are_reported_and_traces_return_when_it_does(BackendMode fault)
    {
        using var api = fixture.CreateApiClient();
        // Warm: the first orders of a fresh Api pay for JIT and connection set-up, which is not what is measured here.
        var warmUp = await FaultLoad.PlaceOrdersAsync(api, TestIds.Tenant(), 4, concurrency: 4);
        fixture.Backend.Switch(fault);
        var droppedBefore = fixture.ApiConsole.Lines.Select(DroppedSinceStart).DefaultIfEmpty().Max();

        var results = await FaultLoad.PlaceOrdersAsync(api, TestIds.Tenant(), Requests, concurrency: 4);
        // Every order makes several spans, its request's at least: all of them are lost while the backend is down.
        var dropReport = await fixture.ApiConsole.WaitForLineAsync(
            line => DroppedSinceStart(line) >= droppedBefore + Requests, TimeSpan.FromSeconds(30));

        fixture.Backend.Switch(BackendMode.Forward);
        var recovering = Stopwatch.StartNew();
        var traceId = TestIds.NewTraceId();
        var probe = await FaultLoad.PlaceOrderAsync(api, TestIds.Tenant(), traceId: traceId);
        await fixture.Telemetry.WaitForTraceAsync(traceId, spans => spans.Any(span => span.Name == "orders.create"));
        var recovery = recovering.Elapsed;

        FaultLoad.Report($"telemetry-{fault}",
            $"warm-up slowest {warmUp.Max(result => result.Duration.TotalMilliseconds):F0} ms; {results.Count} orders ({FaultLoad.Describe(results)}), slowest {results.Max(result => result.Duration.TotalMilliseconds):F0} ms; Api reported: {dropReport ?? "nothing"}; traces back {recovery.TotalSeconds:F1} s after the receiver");
        Assert.All(results, result => Assert.Equal(HttpStatusCode.Created, result.Status));
        var slowest = results.Max(result => result.Duration);
        // A request that waited on the hung exporter would take its whole timeout.
        Assert.True(slowest < TimeSpan.FromMilliseconds(FaultyTelemetryBackendFixture.ExporterTimeoutMilliseconds),
            $"a request took {slowest.TotalMilliseconds:F0} ms: requests must not wait on the exporter ({FaultyTelemetryBackendFixture.ExporterTimeoutMilliseconds} ms timeout); "
            + $"durations: {string.Join(", ", results.Select(result => $"{result.Duration.TotalMilliseconds:F0}"))}");
        Assert.True(dropReport is not null, $"the Api did not log the {Requests}+ spans it dropped after {droppedBefore}; it logged:\n"
            + string.Join("\n", fixture.ApiConsole.Lines.Where(line => line.Contains("Telemetry export", StringComparison.Ordinal))));
        Assert.Equal(HttpStatusCode.Created, probe.Status);
        Assert.True(recovery < RecoveryLimit, $"traces came back after {recovery.TotalSeconds:F1} s");
    }

    /// <summary>The running total in the Api's drop report: "Telemetry export dropped 39 span(s) in the last 5 s (225 since start, ...".</summary>
    private static long DroppedSinceStart(string line) =>
        Regex.Match(line, @"Telemetry export dropped .*\((\d+) since start") is { Success: true } match ? long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
}
