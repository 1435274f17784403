using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>A public edge's server spans, for callers it trusts and callers it does not (the test client calls from 127.0.0.1).</summary>
public sealed class TraceContextTrustBoundaryTests
{
    private static readonly ActivityTraceId CallerTrace = ActivityTraceId.CreateRandom();
    private static readonly ActivitySpanId CallerSpan = ActivitySpanId.CreateRandom();

    [Fact]
    public async Task An_untrusted_caller_gets_a_new_trace_that_links_to_its_context_and_its_baggage_is_dropped()
    {
        await using var edge = CreateEdge();
        await edge.StartAsync();

        var seen = await CallAsync(edge);
        var server = await edge.WaitForServerSpanAsync("/baggage");

        Assert.NotEqual(CallerTrace, server.TraceId);
        Assert.Equal(default, server.ParentSpanId);
        var link = Assert.Single(server.Links);
        Assert.Equal((CallerTrace, CallerSpan), (link.Context.TraceId, link.Context.SpanId));
        Assert.Equal("none", seen);
    }

    [Fact]
    public async Task An_untrusted_caller_cannot_choose_the_trace_or_the_baggage_through_the_older_headers()
    {
        await using var edge = CreateEdge();
        await edge.StartAsync();

        var seen = await CallAsync(edge, ("Request-Id", $"00-{CallerTrace}-{CallerSpan}-01"), ("Correlation-Context", "campaign=spring"));
        var server = await edge.WaitForServerSpanAsync("/baggage");

        Assert.NotEqual(CallerTrace, server.TraceId);
        Assert.Equal(default, server.ParentSpanId);
        Assert.Equal("none", seen);
    }

    [Fact]
    public async Task A_trusted_caller_continues_its_trace_with_its_baggage()
    {
        await using var edge = CreateEdge(("Tracing:TrustedCallers:0", "10.0.0.0/8"), ("Tracing:TrustedCallers:1", "127.0.0.1"));
        await edge.StartAsync();

        var seen = await CallAsync(edge);
        var server = await edge.WaitForServerSpanAsync("/baggage");

        Assert.Equal((CallerTrace, CallerSpan), (server.TraceId, server.ParentSpanId));
        Assert.Empty(server.Links);
        Assert.Equal("campaign=spring", seen);
    }

    [Theory]
    [InlineData("10.0.0.0/8,127.0.0.1")]
    [InlineData("localhost")]
    [InlineData("10.0.0.0/33")]
    public async Task A_trusted_caller_that_is_not_an_address_or_network_stops_the_edge_from_starting(string entry)
    {
        await using var edge = CreateEdge(("Tracing:TrustedCallers:0", entry));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(edge.StartAsync);

        Assert.Contains($"Tracing:TrustedCallers:0 '{entry}'", error.Message);
    }

    private static TelemetryTestHost CreateEdge(params (string Key, string? Value)[] settings) => TelemetryTestHost.CreateWeb(
        // Baggage as OpenTelemetry (the baggage header) and the runtime (also Correlation-Context) each took it in.
        app => app.MapGet("/baggage", () => Baggage.Current.GetBaggage().Select(item => $"{item.Key}={item.Value}")
                .Concat((Activity.Current?.Baggage ?? []).Select(item => $"{item.Key}={item.Value}")).Distinct().ToList() is { Count: > 0 } items
            ? string.Join(",", items)
            : "none"),
        builder => builder.AddTraceContextTrustBoundary(),
        settings);

    private static Task<string> CallAsync(TelemetryTestHost edge) =>
        CallAsync(edge, ("traceparent", $"00-{CallerTrace}-{CallerSpan}-01"), ("baggage", "campaign=spring"));

    private static async Task<string> CallAsync(TelemetryTestHost edge, params (string Name, string Value)[] headers)
    {
        // Without a propagator the client neither starts a span nor replaces the traceparent below with its own.
        using var http = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = edge.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/baggage");
        foreach (var (name, value) in headers)
        {
            request.Headers.Add(name, value);
        }

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
