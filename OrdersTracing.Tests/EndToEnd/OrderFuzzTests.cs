using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aspire.Hosting.Testing;

namespace OrdersTracing.Tests.EndToEnd;

[Collection(EndToEndCollection.Name)]
public sealed class OrderFuzzTests(OrdersAppFixture fixture)
{
    private const int Bodies = 3000;
    private const int Concurrency = 16;
    private const int Seed = 20261126;
    // Bounds the test on a slow machine; the bodies are a seeded sequence, so a shorter run sends a prefix of the same one.
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(20);
    private const int MinimumBodies = 200;

    private static readonly HashSet<HttpStatusCode> Expected =
        [HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge, HttpStatusCode.UnsupportedMediaType];

    [Fact]
    public async Task Thousands_of_mutated_order_bodies_get_4xx_problems_or_201s_and_exactly_the_201s_are_written()
    {
        using var api = fixture.CreateRawApiClient();
        var tenant = TestIds.Tenant();
        var fuzzer = new OrderBodyFuzzer(Seed);
        var bodies = Enumerable.Range(0, Bodies).Select(_ => fuzzer.Next()).ToList();
        var answers = new (HttpStatusCode Status, string? MediaType)?[Bodies];
        var next = -1;
        var elapsed = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < Bodies && elapsed.Elapsed < Budget; i = Interlocked.Increment(ref next))
            {
                answers[i] = await PostAsync(api, tenant, bodies[i], TestContext.Current.CancellationToken);
            }
        }));
        elapsed.Stop();
        var written = await CountOrdersAsync(api, tenant);

        var sent = answers.Select((answer, i) => (answer, body: bodies[i])).Where(pair => pair.answer is not null)
            .Select(pair => (answer: pair.answer!.Value, pair.body)).ToList();
        var byStatus = sent.GroupBy(pair => pair.answer.Status).ToDictionary(group => group.Key, group => group.Count());
        TestContext.Current.TestOutputHelper?.WriteLine($"seed {Seed}: {sent.Count} bodies in {elapsed.Elapsed.TotalSeconds:F1} s: "
            + string.Join(", ", byStatus.OrderBy(pair => pair.Key).Select(pair => $"{(int)pair.Key} x{pair.Value}")) + $"; {written} orders written");
        var unexpected = sent
            .Where(pair => !Expected.Contains(pair.answer.Status) || (pair.answer.Status != HttpStatusCode.Created && pair.answer.MediaType != "application/problem+json"))
            .Select(pair => $"{(int)pair.answer.Status} {pair.answer.MediaType}: {pair.body[..Math.Min(pair.body.Length, 300)]}")
            .Take(10)
            .ToList();
        Assert.True(unexpected.Count == 0, $"seed {Seed}, unexpected answers:\n" + string.Join("\n", unexpected));
        Assert.Equal(byStatus.GetValueOrDefault(HttpStatusCode.Created), written);
        Assert.True(sent.Count >= MinimumBodies, $"only {sent.Count} bodies were sent within {Budget.TotalSeconds} s");
    }

    private static async Task<(HttpStatusCode, string?)> PostAsync(HttpClient api, string tenant, string body, CancellationToken cancellationToken)
    {
        // Unsampled: thousands of requests would otherwise crowd the other tests' spans out of the dashboard.
        using var request = ApiCalls.Request(HttpMethod.Post, "/api/orders", tenant, "fuzzer",
            new StringContent(body, Encoding.UTF8, "application/json"), TestIds.NewTraceId(), sampled: false);
        // As a client uploading a body of unknown acceptability should: the server can refuse an oversized body before
        // it is sent, instead of closing the connection under a client still writing it (a reset, not an answer).
        request.Headers.ExpectContinue = true;

        using var response = await api.SendAsync(request, cancellationToken);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    private static async Task<int> CountOrdersAsync(HttpClient api, string tenant)
    {
        var count = 0;
        for (var page = 1; ; page++)
        {
            using var response = await ApiCalls.SendAsync(api, HttpMethod.Get, $"/api/orders?page={page}&pageSize=100", tenant, "fuzzer");
            var listing = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
            count += listing.GetProperty("orders").GetArrayLength();
            if (!listing.GetProperty("hasMore").GetBoolean())
            {
                return count;
            }
        }
    }
}
