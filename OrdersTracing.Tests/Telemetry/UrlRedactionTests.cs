using System.Diagnostics;
using OrdersTracing.ServiceDefaults.Telemetry.Redaction;

namespace OrdersTracing.Tests.Telemetry;

/// <summary>The services' spans hold no query values, user info or fragments, whoever wrote the span: the rule Web's relay applies to the browser's.</summary>
public sealed class UrlRedactionTests
{
    [Theory]
    [InlineData("url.full", "https://user:secret@pay.example/v1/charges?api_key=sk_live_1&email=ada%40example.com#card", "https://pay.example/v1/charges?api_key=Redacted&email=Redacted")]
    [InlineData("http.url", "http://api/orders?page=2", "http://api/orders?page=Redacted")]
    [InlineData("url.query", "?token=abc&card=4242424242424242", "?token=Redacted&card=Redacted")]
    [InlineData("url.full", "http://api/orders/7", "http://api/orders/7")]
    public async Task A_span_written_by_hand_is_exported_with_its_url_redacted(string attribute, string written, string exported)
    {
        await using var service = TelemetryTestHost.Create();
        await service.StartAsync();

        using (service.Source.StartActivity("by hand")?.SetTag(attribute, written))
        {
        }

        Assert.Equal(exported, Assert.Single(service.ExportedSpans).GetTagItem(attribute));
    }

    [Theory]
    [InlineData("order for ada@example.com")]
    [InlineData("Bearer eyJhbGciOi")]
    [InlineData("4242 4242 4242 4242")]
    [InlineData("api_key=abc")]
    public void A_value_that_looks_secret_is_replaced_whole(string value) =>
        Assert.Equal(TelemetryRedaction.Redacted, TelemetryRedaction.Redact(value, isUrl: false));
}
