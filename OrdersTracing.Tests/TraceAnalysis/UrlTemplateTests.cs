using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.TraceAnalysis;

public sealed class UrlTemplateTests
{
    [Theory]
    [InlineData("http://payments:5090/api/payments/pi_3Mt42?expand=charges", "http://payments:5090/api/payments/{id}")]
    [InlineData("https://api.example.com/tenants/acme/orders/42/items", "https://api.example.com/tenants/acme/orders/{id}/items")]
    [InlineData("http://api/orders/0b9c4c1e-0f1d-4b8e-9c59-3f0f1a2b3c4d#top", "http://api/orders/{id}")]
    [InlineData("http://api:8080/status", "http://api:8080/status")]
    [InlineData("/relative/7", "/relative/{id}")]
    public void Ids_in_the_path_become_a_placeholder_and_the_query_is_dropped(string url, string template)
    {
        var parameterised = UrlTemplate.Of(url);

        Assert.Equal(template, parameterised);
    }

    [Fact]
    public void A_port_is_no_id()
    {
        var template = UrlTemplate.Of("http://payments:5090/api/status");

        Assert.False(UrlTemplate.IsParameterised(template));
    }
}
