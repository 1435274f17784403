using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrdersTracing.ServiceDefaults.Telemetry;

namespace OrdersTracing.Tests.Telemetry;

public sealed class ColdStartTests
{
    [Fact]
    public async Task The_first_request_of_each_route_is_marked_as_a_cold_start_and_the_next_is_not()
    {
        await using var telemetry = await StartWebHostAsync();

        var first = await RequestAsync(telemetry, "/orders/1");
        var second = await RequestAsync(telemetry, "/orders/2");
        var otherRoute = await RequestAsync(telemetry, "/tenants");

        Assert.Equal(true, first.GetTagItem(TelemetryTags.AppColdStart));
        Assert.Null(second.GetTagItem(TelemetryTags.AppColdStart));
        Assert.Equal(true, otherRoute.GetTagItem(TelemetryTags.AppColdStart));
    }

    [Fact]
    public async Task A_request_that_matches_no_route_is_not_marked()
    {
        await using var telemetry = await StartWebHostAsync();

        var unrouted = await RequestAsync(telemetry, "/nowhere");

        Assert.Null(unrouted.GetTagItem(TelemetryTags.AppColdStart));
    }

    private static async Task<TelemetryTestHost> StartWebHostAsync()
    {
        var telemetry = TelemetryTestHost.CreateWeb(app =>
        {
            app.MapGet("/orders/{id}", (string id) => Results.Text(id));
            app.MapGet("/tenants", () => Results.Text("tenants"));
        });
        await telemetry.StartAsync();
        return telemetry;
    }

    private static async Task<Activity> RequestAsync(TelemetryTestHost telemetry, string path)
    {
        using var client = new HttpClient { BaseAddress = telemetry.BaseAddress };
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        return await telemetry.WaitForServerSpanAsync(path);
    }
}
