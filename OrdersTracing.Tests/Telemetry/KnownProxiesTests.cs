using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrdersTracing.ServiceDefaults.Proxies;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>
/// Who the client of a public edge is, which per-client limits key on (the relay's rate cap): the test client calls from
/// 127.0.0.1 and says, in <c>X-Forwarded-For</c>, that it forwards for 203.0.113.7.
/// </summary>
public sealed class KnownProxiesTests
{
    private const string ForwardedClient = "203.0.113.7";

    [Fact]
    public async Task With_no_known_proxies_the_client_is_the_connection_whatever_it_forwards()
    {
        await using var edge = await StartEdgeAsync();

        Assert.Equal("127.0.0.1", await ClientAsSeenByAsync(edge));
    }

    [Fact]
    public async Task Behind_a_known_proxy_the_client_is_the_one_it_forwards_for()
    {
        await using var edge = await StartEdgeAsync(("ForwardedHeaders:KnownProxies:0", "127.0.0.1"));

        Assert.Equal(ForwardedClient, await ClientAsSeenByAsync(edge));
    }

    [Fact]
    public async Task A_caller_outside_the_known_proxy_networks_cannot_name_another_client()
    {
        await using var edge = await StartEdgeAsync(("ForwardedHeaders:KnownProxies:0", "10.0.0.0/8"));

        Assert.Equal("127.0.0.1", await ClientAsSeenByAsync(edge));
    }

    [Fact]
    public async Task A_known_proxy_that_is_not_an_address_or_network_stops_the_edge_from_starting()
    {
        var edge = Edge(("ForwardedHeaders:KnownProxies:0", "proxy.internal"));
        await using (edge)
        {
            var error = await Assert.ThrowsAsync<OptionsValidationException>(edge.StartAsync);

            Assert.Contains("ForwardedHeaders:KnownProxies:0 'proxy.internal'", error.Message);
        }
    }

    private static async Task<TelemetryTestHost> StartEdgeAsync(params (string Key, string? Value)[] settings)
    {
        var edge = Edge(settings);
        await edge.StartAsync();
        return edge;
    }

    private static TelemetryTestHost Edge(params (string Key, string? Value)[] settings) => TelemetryTestHost.CreateWeb(
        app =>
        {
            app.UseForwardedHeaders();
            app.MapGet("/client", (HttpContext context) =>
                context.Connection.RemoteIpAddress is { IsIPv4MappedToIPv6: true } mapped ? mapped.MapToIPv4().ToString() : context.Connection.RemoteIpAddress?.ToString());
        },
        builder => builder.AddKnownProxies(),
        settings);

    private static async Task<string> ClientAsSeenByAsync(TelemetryTestHost edge)
    {
        using var http = new HttpClient { BaseAddress = edge.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/client");
        request.Headers.Add("X-Forwarded-For", ForwardedClient);

        using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }
}
