using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace OrdersTracing.Tests.EndToEnd.Support;

/// <summary>
/// A person's browser on Web: Debian's Chromium driven by Playwright's bundled driver, so nothing is downloaded at
/// test time. It watches everything the pages do, and <see cref="AssertHealthyAsync"/> fails the test on any
/// answer of 400 or more it was not told to expect, any console or page error, and any same-origin link that is broken.
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>Set to 1 to refresh the screenshots in docs/images; otherwise they go next to the test binaries.</summary>
    private const string UpdateScreenshotsVariable = "ORDERS_TRACING_UPDATE_SCREENSHOTS";

    /// <summary>A page's trace reaches the dashboard a few seconds after the page; its trace doctor link is not broken meanwhile.</summary>
    private static readonly TimeSpan TraceArrival = TimeSpan.FromSeconds(30);

    private static readonly string[] ChromiumArguments =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright playwright;
    private readonly IBrowser browser;
    private readonly ConcurrentQueue<string> problems = new();
    private readonly ConcurrentQueue<(int Status, string Path)> expected = new();
    private readonly ConcurrentQueue<Task<LinksOnPage>> linkReads = new();

    private BrowserSession(IPlaywright playwright, IBrowser browser, IBrowserContext context, IPage page, Uri web)
    {
        (this.playwright, this.browser, Context, Page, Web) = (playwright, browser, context, page, web);

        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && !IsExpected(response.Status, new Uri(response.Url)))
            {
                problems.Enqueue($"{response.Request.Method} {response.Url} answered {response.Status}, which the test did not expect.");
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !IsExpectedLoadFailure(message))
            {
                problems.Enqueue($"Console error on {page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Enqueue($"Script error on {page.Url}: {error}");
        page.Load += (_, loaded) => linkReads.Enqueue(ReadLinksAsync(loaded));
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri Web { get; }

    public static async Task<BrowserSession> OpenAsync(Uri web, int width = 1280, int height = 900)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: run the tests with ./test.sh, which installs Debian's chromium package.");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Args = ChromiumArguments });
        var context = await browser.NewContextAsync(new() { BaseURL = web.ToString(), ViewportSize = new() { Width = width, Height = height } });
        return new BrowserSession(playwright, browser, context, await context.NewPageAsync(), web);
    }

    /// <summary>Where a screenshot goes: docs/images when refreshing them, next to the test binaries otherwise.</summary>
    public static string ScreenshotPath(string name) => Path.Combine(
        Environment.GetEnvironmentVariable(UpdateScreenshotsVariable) == "1"
            ? Path.Combine(Path.GetDirectoryName(Path.TrimEndingDirectorySeparator(Projects.OrdersTracing_AppHost.ProjectPath))!, "docs", "images")
            : Path.Combine(AppContext.BaseDirectory, "screenshots"),
        name);

    /// <summary>An answer the test provokes on purpose (a refused form, a declined card): <paramref name="path"/> may answer <paramref name="status"/>.</summary>
    public void Expect(int status, string path) => expected.Enqueue((status, path));

    public async Task<IResponse> GotoAsync(string path) =>
        await Page.GotoAsync(path) ?? throw new InvalidOperationException($"Going to {path} gave no response.");

    /// <summary>Signs in as a person does, from the keyboard: the tenant, Tab, the user, Enter.</summary>
    public async Task SignInAsync(string tenantId, string userId)
    {
        await GotoAsync("/signin");
        await Page.GetByLabel("Tenant").FillAsync(tenantId);
        await Page.Keyboard.PressAsync("Tab");
        await Page.Keyboard.TypeAsync(userId);
        await Page.Keyboard.PressAsync("Enter");
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/orders");
    }

    public async Task ScreenshotAsync(string name)
    {
        var path = ScreenshotPath(name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await Page.ScreenshotAsync(new() { Path = path, FullPage = true });
    }

    /// <summary>Runs axe on the page as it is now; serious and critical violations are problems.</summary>
    public async Task CheckAccessibilityAsync()
    {
        var result = await Page.RunAxe();
        foreach (var violation in result.Violations.Where(violation => violation.Impact is "serious" or "critical"))
        {
            problems.Enqueue($"Accessibility ({violation.Impact}) on {Page.Url}: {violation.Id}: {violation.Help} at "
                + string.Join(", ", violation.Nodes.Select(node => node.Target?.ToString())));
        }
    }

    /// <summary>Follows every same-origin link the loaded pages showed, then fails on anything the session saw go wrong.</summary>
    public async Task AssertHealthyAsync()
    {
        var pages = await Task.WhenAll(linkReads);
        var links = pages
            .SelectMany(page => page.Links.Select(link => (Link: link, page.Url)))
            .Select(found => (Link: new Uri(found.Link), found.Url))
            .Where(found => found.Link.GetLeftPart(UriPartial.Authority) == Web.GetLeftPart(UriPartial.Authority))
            .GroupBy(found => found.Link.GetLeftPart(UriPartial.Query))
            .ToList();
        await Task.WhenAll(links.Select(link => CheckLinkAsync(link.Key, link.First().Url)));

        Assert.True(problems.IsEmpty, string.Join("\n", problems));
    }

    private async Task CheckLinkAsync(string link, string foundOn)
    {
        var isTraceDoctor = new Uri(link).AbsolutePath.StartsWith("/traces/", StringComparison.Ordinal);
        var deadline = DateTime.UtcNow + TraceArrival;
        while (true)
        {
            var response = await Context.APIRequest.GetAsync(link);
            if (response.Status < 400)
            {
                return;
            }

            if (!isTraceDoctor || response.Status != 404 || DateTime.UtcNow > deadline)
            {
                problems.Enqueue($"The link {link} on {foundOn} is broken: it answered {response.Status}.");
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500));
        }
    }

    private bool IsExpected(int status, Uri url) => expected.Any(allowed => allowed.Status == status && allowed.Path == url.AbsolutePath);

    /// <summary>Chromium reports every answer of 400 or more on the console too; one the test expects is no error.</summary>
    private bool IsExpectedLoadFailure(IConsoleMessage message) =>
        LoadFailure().Match(message.Text) is { Success: true } failure
        && Uri.TryCreate(message.Location.Split(':')[..^2] is { Length: > 0 } parts ? string.Join(':', parts) : "", UriKind.Absolute, out var url)
        && IsExpected(int.Parse(failure.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture), url);

    [GeneratedRegex(@"^Failed to load resource: the server responded with a status of (?<status>\d{3})")]
    private static partial Regex LoadFailure();

    private static async Task<LinksOnPage> ReadLinksAsync(IPage page)
    {
        var url = page.Url;
        try
        {
            return new LinksOnPage(url, await page.EvaluateAsync<string[]>("() => Array.from(document.querySelectorAll('a[href]'), a => a.href)"));
        }
        catch (PlaywrightException)
        {
            // The page went on to the next one before its links were read; that one is read in turn.
            return new LinksOnPage(url, []);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Context.DisposeAsync();
        await browser.DisposeAsync();
        playwright.Dispose();
    }

    private sealed record LinksOnPage(string Url, IReadOnlyList<string> Links);
}
