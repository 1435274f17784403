using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>What one request of a fault test's load got back, and how long it took.</summary>
public sealed record LoadResult(HttpStatusCode Status, TimeSpan Duration, string? OrderId, string Body, string? ContentType = null, string? RetryAfter = null);

/// <summary>Bounded load for fault tests: a fixed number of order creations, a few at a time, each timed.</summary>
public static class FaultLoad
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Places <paramref name="count"/> orders, <paramref name="concurrency"/> at a time, and reports every answer.</summary>
    public static async Task<IReadOnlyList<LoadResult>> PlaceOrdersAsync(
        HttpClient api, string tenant, int count, int concurrency, string payment = "Background", TimeSpan? pause = null)
    {
        var results = new ConcurrentQueue<LoadResult>();
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < count)
            {
                results.Enqueue(await PlaceOrderAsync(api, tenant, payment));
                if (pause is { } delay)
                {
                    await Task.Delay(delay);
                }
            }
        });
        await Task.WhenAll(workers);
        return [.. results];
    }

    /// <summary>Places orders, <paramref name="concurrency"/> at a time with a pause after each, until <paramref name="stop"/> is cancelled.</summary>
    public static async Task<IReadOnlyList<LoadResult>> PlaceOrdersUntilAsync(
        HttpClient api, string tenant, int concurrency, TimeSpan pause, ConcurrentQueue<LoadResult> results, CancellationToken stop)
    {
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (!stop.IsCancellationRequested)
            {
                results.Enqueue(await PlaceOrderAsync(api, tenant));
                await Task.Delay(pause, CancellationToken.None);
            }
        });
        await Task.WhenAll(workers);
        return [.. results];
    }

    public static async Task<LoadResult> PlaceOrderAsync(HttpClient api, string tenant, string payment = "Background", string? traceId = null)
    {
        var order = JsonContent.Create(new { items = new[] { new { sku = "coffee-beans", quantity = 1, unitPrice = 9.50m } } });
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            using var request = ApiCalls.Request(HttpMethod.Post, $"/api/orders?payment={payment}", tenant, TestIds.User(), order, traceId);
            using var response = await api.SendAsync(request, timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            string? id = null;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                id = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("id").GetString();
            }

            return new LoadResult(response.StatusCode, Stopwatch.GetElapsedTime(started), id, body,
                response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.ToString());
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            return new LoadResult(0, Stopwatch.GetElapsedTime(started), null, exception.Message);
        }
    }

    /// <summary>
    /// Writes a test's measured figures to its output, marked so that <c>scripts/measure-reliability.sh</c> can collect
    /// them for <c>docs/reliability.md</c>.
    /// </summary>
    public static void Report(string fault, string figures) =>
        TestContext.Current.TestOutputHelper?.WriteLine($"FIGURES {fault}: {figures}");

    public static string Describe(IEnumerable<LoadResult> results) =>
        string.Join(", ", results.GroupBy(result => result.Status).Select(group => $"{(int)group.Key}: {group.Count()}"));
}

/// <summary>A resource's console output as the AppHost sees it, collected from the start of the run.</summary>
public sealed class ResourceConsole : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> lines = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task watching;

    public ResourceConsole(DistributedApplication app, string resource)
    {
        var logs = app.Services.GetRequiredService<ResourceLoggerService>();
        // Logs are kept per instance (api-abcd1234), not per resource name.
        var instance = app.ResourceNotifications.TryGetCurrentState(resource, out var state) ? state.ResourceId : resource;
        watching = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(instance).WithCancellation(stopping.Token))
                {
                    foreach (var line in batch)
                    {
                        lines.Enqueue(line.Content);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
    }

    public IEnumerable<string> Lines => lines;

    /// <summary>The first line that matches, polled until <paramref name="deadline"/>; null if none did.</summary>
    public async Task<string?> WaitForLineAsync(Func<string, bool> matches, TimeSpan deadline)
    {
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            if (lines.FirstOrDefault(matches) is { } line)
            {
                return line;
            }

            if (stopwatch.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await watching;
        stopping.Dispose();
    }
}
