using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace OrdersTracing.Tests.Telemetry;

public sealed class HealthProbeTracingTests
{
    private const string HelloPath = "/hello";

    [Fact]
    public async Task A_request_to_an_endpoint_is_traced_as_a_server_span()
    {
        await using var telemetry = await StartWebHostAsync();
        using var client = new HttpClient { BaseAddress = telemetry.BaseAddress };

        using var response = await client.GetAsync(HelloPath, TestContext.Current.CancellationToken);

        var span = await telemetry.WaitForServerSpanAsync(HelloPath);
        Assert.Equal($"GET {HelloPath}", span.DisplayName);
    }

    [Theory]
    [InlineData(Microsoft.Extensions.Hosting.Extensions.HealthEndpointPath)]
    [InlineData(Microsoft.Extensions.Hosting.Extensions.AlivenessEndpointPath)]
    public async Task Health_probes_are_not_traced(string probePath)
    {
        await using var telemetry = await StartWebHostAsync();
        using var client = new HttpClient { BaseAddress = telemetry.BaseAddress };

        using var probe = await client.GetAsync(probePath, TestContext.Current.CancellationToken);
        using var request = await client.GetAsync(HelloPath, TestContext.Current.CancellationToken);

        // The request after the probe is traced, so by the time its span arrives the probe's would have too.
        await telemetry.WaitForServerSpanAsync(HelloPath);
        Assert.DoesNotContain(telemetry.ServerSpans, span => Equals(span.GetTagItem("url.path"), probePath));
    }

    private static async Task<TelemetryTestHost> StartWebHostAsync()
    {
        var telemetry = TelemetryTestHost.CreateWeb(app => app.MapGet(HelloPath, () => Results.Text("hello")));
        await telemetry.StartAsync();
        return telemetry;
    }
}
