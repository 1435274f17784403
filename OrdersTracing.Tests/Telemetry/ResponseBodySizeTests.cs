using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using OrdersTracing.ServiceDefaults.Telemetry.ResponseSize;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>The server span's <c>http.response.body.size</c>, which the large-payload detector reads.</summary>
public sealed class ResponseBodySizeTests
{
    [Theory]
    [InlineData("/json", 0)]
    [InlineData("/json", 5_000)]
    [InlineData("/text", 3)]
    [InlineData("/empty", 0)]
    [InlineData("/stream", 7_000)]
    public async Task The_server_span_records_the_bytes_the_client_received(string path, int items)
    {
        await using var telemetry = TelemetryTestHost.CreateWeb(app =>
        {
            // As the Api's Program.cs does: before the endpoints.
            app.UseResponseBodySize();
            app.MapGet("/json", (int items) => Results.Json(Enumerable.Range(0, items).Select(i => new { id = i, name = $"item {i}" })));
            app.MapGet("/text", (int items) => Results.Text(new string('x', items)));
            app.MapGet("/empty", () => Results.NoContent());
            // Written to the stream rather than the pipe, in two writes, as a hand-written handler may.
            app.MapGet("/stream", async (HttpContext context, int items) =>
            {
                await context.Response.Body.WriteAsync(new byte[items / 2]);
                await context.Response.Body.WriteAsync(new byte[items - items / 2]);
            });
        });
        await telemetry.StartAsync();
        using var client = new HttpClient { BaseAddress = telemetry.BaseAddress };

        using var response = await client.GetAsync($"{path}?items={items}", TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);
        var span = await telemetry.WaitForServerSpanAsync(path);

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal((long)body.Length, span.GetTagItem("http.response.body.size"));
    }
}
