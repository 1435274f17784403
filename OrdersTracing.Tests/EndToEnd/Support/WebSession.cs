using System.Net;
using System.Text.RegularExpressions;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>
/// A person using Web: a cookie jar, the forms' antiforgery tokens, and the page markers (<c>data-*</c>
/// attributes) that show trace ids, order ids and payment statuses.
/// </summary>
public sealed partial class WebSession(Uri web) : IDisposable
{
    // Without a propagator the client starts no span of its own, so the headers a test sends arrive as sent.
    private readonly HttpClient http = new(new SocketsHttpHandler { CookieContainer = new CookieContainer(), ActivityHeadersPropagator = null })
    {
        BaseAddress = web,
    };

    public async Task SignInAsync(string tenantId, string userId)
    {
        var response = await PostFormAsync("/signin", new() { ["TenantId"] = tenantId, ["UserId"] = userId });
        Assert.Equal("/orders", response.RequestMessage!.RequestUri!.AbsolutePath);
    }

    public async Task<WebPage> PlaceOrderAsync(string paymentMethod, params (string Sku, int Quantity, decimal UnitPrice)[] items)
    {
        var form = new Dictionary<string, string> { ["PaymentMethod"] = paymentMethod };
        for (var i = 0; i < items.Length; i++)
        {
            form[$"Items[{i}].Sku"] = items[i].Sku;
            form[$"Items[{i}].Quantity"] = items[i].Quantity.ToString(System.Globalization.CultureInfo.InvariantCulture);
            form[$"Items[{i}].UnitPrice"] = items[i].UnitPrice.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await WebPage.ReadAsync(await PostFormAsync("/orders/new", form));
    }

    /// <param name="headers">Sent as given, without validation: trace context headers as a caller outside the system sends them.</param>
    public async Task<WebPage> GetAsync(string path, params IEnumerable<(string Name, string Value)> headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await WebPage.ReadAsync(await http.SendAsync(request));
    }

    private async Task<HttpResponseMessage> PostFormAsync(string path, Dictionary<string, string> form)
    {
        var page = await http.GetStringAsync(path);
        form["__RequestVerificationToken"] = AntiforgeryToken().Match(page) is { Success: true } match
            ? match.Groups[1].Value
            : throw new InvalidOperationException($"{path} has no antiforgery token.");

        return await http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    public void Dispose() => http.Dispose();
}

/// <summary>A page as the browser got it, with the values it marks for machines.</summary>
public sealed partial record WebPage(HttpStatusCode Status, Uri Url, string Html)
{
    public static async Task<WebPage> ReadAsync(HttpResponseMessage response)
    {
        using (response)
        {
            return new WebPage(response.StatusCode, response.RequestMessage!.RequestUri!, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>The value of <c>data-{name}="..."</c>, or null where the page has none.</summary>
    public string? Marker(string name) =>
        Regex.Match(Html, $"data-{Regex.Escape(name)}=\"([^\"]*)\"") is { Success: true } match ? match.Groups[1].Value : null;

    public string Text => WebUtility.HtmlDecode(Tags().Replace(Html, " "));

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tags();
}
