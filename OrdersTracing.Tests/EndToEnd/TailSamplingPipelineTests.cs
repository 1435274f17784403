using OrdersTracing.AppHost.Telemetry;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;
using OrdersTracing.AppHost.Infrastructure;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>The application with Jaeger (Badger in a folder of this run) and the Collector as local programs, tail sampling at 10 % and 1 s.</summary>
public sealed class TracingPipelineFixture : OrdersAppFixture
{
    protected override IEnumerable<string> AppHostArguments =>
    [
        "--Parameters:tail-sampling-decision-wait=2s",
        "--Parameters:tail-sampling-latency-threshold-ms=1000",
        "--Parameters:tail-sampling-percentage=10",
    ];
}

public sealed class TailSamplingPipelineTests
{
    private const int FastTraces = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Errors_and_slow_traces_always_reach_jaeger_and_about_a_tenth_of_the_rest_do_and_they_outlive_a_jaeger_restart()
    {
        var missing = new[] { JaegerExtensions.Program, OpenTelemetryCollectorExtensions.Program }
            .Where(program => ListenerExtensions.FindOnPath(program) is null)
            .ToList();
        Assert.SkipWhen(missing.Count > 0,
            $"{string.Join(" and ", missing)} not on PATH: Jaeger and the Collector exist here only as container images, and this machine has no container runtime.");

        await using var fixture = new TracingPipelineFixture();
        await fixture.InitializeAsync();
        using var api = fixture.CreateApiClient();
        using var jaeger = new HttpClient { BaseAddress = fixture.App.GetEndpoint("jaeger", JaegerExtensions.UiEndpointName) };
        var tenant = TestIds.Tenant();

        var fast = new List<string>();
        for (var i = 0; i < FastTraces; i++)
        {
            var traceId = TestIds.NewTraceId();
            using var listing = await ApiCalls.SendAsync(api, HttpMethod.Get, "/api/orders", tenant, "pipeline-test", traceId: traceId);
            Assert.Equal(HttpStatusCode.OK, listing.StatusCode);
            fast.Add(traceId);
        }

        var errorTrace = TestIds.NewTraceId();
        using (var declined = await ApiCalls.SendAsync(api, HttpMethod.Post, "/api/orders", tenant, "pipeline-test",
            JsonContent.Create(new { items = new[] { new { sku = "tea", quantity = 1, unitPrice = 4.00m } }, paymentMethod = "pm_card_chargeDeclined" }), errorTrace))
        {
            Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        }

        var slowTrace = await SendSlowTraceAsync(api, fixture, tenant);

        await WaitUntilInJaegerAsync(jaeger, errorTrace);
        await WaitUntilInJaegerAsync(jaeger, slowTrace);
        var kept = await CountSettledAsync(jaeger, fast);
        Assert.InRange(kept, FastTraces * 5 / 100, FastTraces * 20 / 100);

        // Badger keeps them on disk: a Jaeger restarted (stopped and started again by the AppHost) still has every one.
        var restart = await fixture.App.ResourceCommands.ExecuteCommandAsync("jaeger", KnownResourceCommands.RestartCommand, TestContext.Current.CancellationToken);
        Assert.True(restart.Success, restart.Message);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("jaeger", TestContext.Current.CancellationToken);
        Assert.True(await IsInJaegerAsync(jaeger, errorTrace), $"the error trace {errorTrace} is gone after Jaeger restarted");
        Assert.True(await IsInJaegerAsync(jaeger, slowTrace), $"the slow trace {slowTrace} is gone after Jaeger restarted");
        Assert.Equal(kept, await CountSettledAsync(jaeger, fast));
    }

    /// <summary>A trace longer than the latency threshold: this test's own root span, kept open around a fast request.</summary>
    private static async Task<string> SendSlowTraceAsync(HttpClient api, OrdersAppFixture fixture, string tenant)
    {
        var sourceName = $"OrdersTracing.Tests.Pipeline.{Guid.NewGuid():N}";
        using var tracing = Sdk.CreateTracerProviderBuilder()
            .AddSource(sourceName)
            .AddOtlpExporter(otlp =>
            {
                otlp.Endpoint = fixture.App.GetEndpoint("collector", OpenTelemetryCollectorExtensions.OtlpGrpcEndpointName);
                otlp.Protocol = OtlpExportProtocol.Grpc;
            })
            .Build();
        using var source = new ActivitySource(sourceName);

        string traceId;
        using (var slow = source.StartActivity("pipeline-test.slow", ActivityKind.Client)!)
        {
            traceId = slow.TraceId.ToHexString();
            using var request = ApiCalls.Request(HttpMethod.Get, "/api/orders", tenant, "pipeline-test");
            request.Headers.Add("traceparent", $"00-{traceId}-{slow.SpanId.ToHexString()}-01");
            using var response = await api.SendAsync(request, TestContext.Current.CancellationToken);
            slow.SetEndTime(slow.StartTimeUtc.AddMilliseconds(1500));
        }

        tracing.ForceFlush();
        return traceId;
    }

    private static async Task WaitUntilInJaegerAsync(HttpClient jaeger, string traceId)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await IsInJaegerAsync(jaeger, traceId))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), deadline.Token);
        }
    }

    /// <summary>How many of <paramref name="traceIds"/> Jaeger holds, once three reads in a row agree.</summary>
    private static async Task<int> CountSettledAsync(HttpClient jaeger, IReadOnlyList<string> traceIds)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var counts = new List<int>();
        while (counts.Count < 3 || counts[^1] != counts[^2] || counts[^2] != counts[^3])
        {
            var found = 0;
            foreach (var traceId in traceIds)
            {
                found += await IsInJaegerAsync(jaeger, traceId) ? 1 : 0;
            }

            counts.Add(found);
            await Task.Delay(TimeSpan.FromSeconds(1), deadline.Token);
        }

        return counts[^1];
    }

    private static async Task<bool> IsInJaegerAsync(HttpClient jaeger, string traceId)
    {
        using var response = await jaeger.GetAsync($"/api/v3/traces/{traceId}", TestContext.Current.CancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }
}
