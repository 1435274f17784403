using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Http.Resilience;
using OrdersTracing.Api.Payments;
using OrdersTracing.ServiceDefaults.Faults;
using OrdersTracing.TraceAnalysis;

namespace OrdersTracing.Tests.EndToEnd;

/// <summary>One request of a flow, as sent: its trace, its answer and when it ended.</summary>
public sealed record DrivenTrace(string TraceId, DiagnosedFlow Flow, HttpStatusCode Status, DateTimeOffset Ended);

/// <summary>A cause row of the Trace doctor page, as its <c>data-cause-kind</c> and <c>data-cause-service</c> mark it.</summary>
public sealed record CauseRow(string Kind, string? Service);

/// <summary>
/// Drives the flows that faults strike, with the faults of a scenario on, and reads each request's trace back from
/// the dashboard once it is whole: what the diagnosis tests and the diagnosis benchmark share.
/// </summary>
public sealed partial class FaultDriver(FaultsAppFixture fixture) : IAsyncDisposable
{
    private const string Api = FaultCatalogue.Services.Api;

    /// <summary>How long the exhausted pool is held under each request: the wait the trace must show.</summary>
    public static readonly TimeSpan PoolHold = TimeSpan.FromMilliseconds(800);

    /// <summary>
    /// Every process exports its spans in batches (a second apart in development); a trace whose span count has not
    /// changed for longer than that, since its request ended, is whole.
    /// </summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    private readonly HttpClient api = fixture.CreateApiClient();
    private readonly WebSession web = fixture.CreateWebSession();
    private readonly string orderTenant = TestIds.Tenant();
    private readonly string listTenant = TestIds.Tenant();
    private readonly string user = TestIds.User();
    private string? orderId;
    private string? largeTenant;

    /// <summary>A tenant of six orders (enough for the N+1 detector), one of them to read, and Web signed in as it.</summary>
    public async Task InitializeAsync(bool withLargeTenant)
    {
        for (var i = 0; i < 6; i++)
        {
            orderId = await ApiCalls.CreateOrderAsync(api, listTenant, user);
        }

        await web.SignInAsync(listTenant, user);
        largeTenant = withLargeTenant ? await fixture.LargeTenantAsync() : null;
    }

    /// <summary>One request of each flow, unread: a cold route's first request spends its time compiling, which no fault is about.</summary>
    public async Task WarmAsync(IEnumerable<DiagnosedFlow> flows)
    {
        foreach (var flow in flows)
        {
            await SendAsync(flow);
        }
    }

    /// <summary>
    /// Switches the scenario's faults on, sends <paramref name="requestsPerFlow"/> requests of each of its flows and
    /// switches them off again. A cold start is a restart of the Api before each request; an exhausted pool is
    /// switched on under each request and off after <see cref="PoolHold"/>, since it holds every request until then.
    /// </summary>
    public async Task<IReadOnlyList<DrivenTrace>> DriveAsync(DiagnosisScenario scenario, int requestsPerFlow)
    {
        var traces = new List<DrivenTrace>();
        if (scenario.Faults.Contains(FaultKind.ColdStart))
        {
            foreach (var flow in scenario.Flows)
            {
                for (var i = 0; i < requestsPerFlow; i++)
                {
                    await RestartApiAsync();
                    traces.Add(await SendAsync(flow.Flow));
                }
            }

            return traces;
        }

        if (scenario.Faults.Contains(FaultKind.PoolExhausted))
        {
            foreach (var flow in scenario.Flows)
            {
                for (var i = 0; i < requestsPerFlow; i++)
                {
                    await SwitchOnAsync(scenario.Faults);
                    var pending = SendAsync(flow.Flow);
                    await Task.Delay(PoolHold);
                    await fixture.SwitchFaultsOffAsync();
                    traces.Add(await pending);
                }
            }

            return traces;
        }

        var pace = PaceOf(scenario);
        await SwitchOnAsync(scenario.Faults);
        try
        {
            foreach (var flow in scenario.Flows)
            {
                traces.AddRange(pace is { } interval
                    ? await SendPacedAsync(flow.Flow, requestsPerFlow, interval)
                    : await SendManyAsync(flow.Flow, requestsPerFlow, ConcurrencyOf(scenario)));
            }
        }
        finally
        {
            await fixture.SwitchFaultsOffAsync();
        }

        await WaitUntilServedAsync(scenario.Flows.Select(flow => flow.Flow));
        if (pace is not null)
        {
            // The breaker's window still holds this scenario's failed attempts: the next provider fault's would add to them
            // (seen: one unreachable provider's order met the circuit the time-outs before it had half opened).
            await Task.Delay(BreakerWindow);
        }

        return traces;
    }

    /// <summary>
    /// The Api's circuit breaker to the provider (<c>PaymentProviderClient</c>) opens once at least 10 attempts in 10 s
    /// are half failed, and then fails every call at once: a trace with nothing of the fault in it but the breaker. A
    /// provider fault's requests are paced so that fewer attempts than that fall in any 10 s, each trace showing the
    /// fault itself. Its attempts per request: the failed ones the fault asks for and the one that succeeds, or all four
    /// (a first and three retries) when the provider cannot be reached.
    /// </summary>
    private static TimeSpan? PaceOf(DiagnosisScenario scenario)
    {
        var attempts = scenario.Faults.Select(kind => kind switch
        {
            FaultKind.ProviderErrors or FaultKind.ProviderTimeout => DiagnosisCases.SpecOf(kind)!.Attempts + 1,
            FaultKind.ProviderUnreachable => ProviderResilience.Retry.MaxRetryAttempts + 1,
            _ => 0,
        }).Max();
        // A second of margin: the breaker's window is counted in buckets, not to the millisecond.
        return attempts == 0 ? null
            : BreakerWindow / ((ProviderResilience.CircuitBreaker.MinimumThroughput - 1) / attempts) + TimeSpan.FromSeconds(1);
    }

    /// <summary>The Api's own resilience settings for its payment client, read rather than copied.</summary>
    private static readonly HttpStandardResilienceOptions ProviderResilience = ReadProviderResilience();

    private static TimeSpan BreakerWindow => ProviderResilience.CircuitBreaker.SamplingDuration;

    private static HttpStandardResilienceOptions ReadProviderResilience()
    {
        var options = new HttpStandardResilienceOptions();
        PaymentProviderClient.ConfigureResilience(options);
        return options;
    }

    /// <summary>Requests of a flow one at a time, each started <paramref name="pace"/> after the one before (or when it ends, if later).</summary>
    private async Task<IReadOnlyList<DrivenTrace>> SendPacedAsync(DiagnosedFlow flow, int count, TimeSpan pace)
    {
        var sent = new List<DrivenTrace>();
        for (var i = 0; i < count; i++)
        {
            var next = Task.Delay(pace);
            sent.Add(await SendAsync(flow));
            if (i < count - 1)
            {
                await next;
            }
        }

        return sent;
    }

    /// <summary>
    /// After a fault is off, each flow is served again before the next scenario starts: an open circuit closes only after
    /// its break and a trial call, and the next scenario's traces must not meet it. The requests sent here are not read.
    /// </summary>
    public async Task WaitUntilServedAsync(IEnumerable<DiagnosedFlow> flows)
    {
        foreach (var flow in flows.Distinct())
        {
            await Poll.UntilAsync<HttpStatusCode>(async () =>
                await SendAsync(flow) is { Status: var status } && (int)status < 400 ? status : null, $"{flow} to be served again with the faults off");
        }
    }

    /// <summary>Requests of a flow with no fault on, <paramref name="concurrency"/> at a time.</summary>
    public Task<IReadOnlyList<DrivenTrace>> SendManyAsync(DiagnosedFlow flow, int count, int concurrency = 1) =>
        SendManyAsync(Enumerable.Repeat(flow, count), concurrency);

    public async Task<IReadOnlyList<DrivenTrace>> SendManyAsync(IEnumerable<DiagnosedFlow> flows, int concurrency)
    {
        var pending = new ConcurrentQueue<DiagnosedFlow>(flows);
        var sent = new ConcurrentQueue<DrivenTrace>();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (pending.TryDequeue(out var flow))
            {
                sent.Enqueue(await SendAsync(flow));
            }
        }));
        return [.. sent];
    }

    /// <summary>One request of the flow, in a trace of its own.</summary>
    public async Task<DrivenTrace> SendAsync(DiagnosedFlow flow)
    {
        var traceId = TestIds.NewTraceId();
        HttpStatusCode status;
        switch (flow)
        {
            case DiagnosedFlow.Order:
                status = (await FaultLoad.PlaceOrderAsync(api, orderTenant, payment: "Synchronous", traceId: traceId)).Status;
                break;
            case DiagnosedFlow.WebOrdersPage:
                var page = await web.GetAsync("/orders");
                (status, traceId) = (page.Status, page.Marker("trace-id") ?? throw new InvalidOperationException($"Web's /orders answered {(int)page.Status} with no trace id."));
                break;
            default:
                using (var response = await ApiCalls.SendAsync(api, HttpMethod.Get, PathOf(flow), TenantOf(flow), user, traceId: traceId))
                {
                    status = response.StatusCode;
                }

                break;
        }

        return new DrivenTrace(traceId, flow, status, DateTimeOffset.UtcNow);
    }

    /// <summary>The request's trace from the dashboard, once its flow's root span is there and no span has arrived for an export interval.</summary>
    public async Task<IReadOnlyList<TraceSpan>> ReadAsync(DrivenTrace trace)
    {
        var spans = await fixture.Telemetry.WaitForTraceAsync(trace.TraceId, spans => IsWhole(trace.Flow, spans));
        var settled = trace.Ended + Settle;
        while (true)
        {
            var wait = settled - DateTimeOffset.UtcNow;
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var again = await fixture.Telemetry.WaitForTraceAsync(trace.TraceId, later => later.Count >= spans.Count);
            if (again.Count == spans.Count)
            {
                return again;
            }

            (spans, settled) = (again, DateTimeOffset.UtcNow + Settle);
        }
    }

    /// <summary>Reads many traces, a few at a time: most are long whole by the time they are read.</summary>
    public async Task<IReadOnlyList<(DrivenTrace Trace, IReadOnlyList<TraceSpan> Spans)>> ReadAllAsync(IReadOnlyList<DrivenTrace> traces)
    {
        var read = new (DrivenTrace, IReadOnlyList<TraceSpan>)[traces.Count];
        await Parallel.ForAsync(0, traces.Count, new ParallelOptions { MaxDegreeOfParallelism = 6 },
            async (i, _) => read[i] = (traces[i], await ReadAsync(traces[i])));
        return read;
    }

    /// <summary>The cause rows of the Trace doctor page for a trace, first first, as Web shows them to a signed-in user.</summary>
    public async Task<IReadOnlyList<CauseRow>> CausesOnPageAsync(string traceId)
    {
        var page = await web.GetAsync($"/traces/{traceId}");
        Assert.True(page.Status == HttpStatusCode.OK, $"The Trace doctor answered {(int)page.Status} for trace {traceId}:\n{page.Text}");
        return [.. ElementWithCause().Matches(page.Html).Select(element => new CauseRow(
            Attribute(element.Value, "data-cause-kind")!, Attribute(element.Value, "data-cause-service")))];
    }

    /// <summary>Restarts the Api as the dashboard's Restart does, and waits until the new process answers.</summary>
    public Task RestartApiAsync() => fixture.StartApiAsync(KnownResourceCommands.RestartCommand);

    /// <summary>Switches faults on; for the benchmark, a fault the application refuses is a result, not a crash.</summary>
    public async Task<string?> TrySwitchOnAsync(IEnumerable<FaultKind> kinds)
    {
        foreach (var kind in kinds)
        {
            if (DiagnosisCases.SpecOf(kind) is not { } spec)
            {
                continue;
            }

            using var service = fixture.App.CreateHttpClient(spec.Service, "http");
            using var response = await service.PutAsJsonAsync(FaultControlApi.Path, spec);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
                var errors = problem.TryGetProperty("errors", out var fields)
                    ? fields.EnumerateObject().SelectMany(field => field.Value.EnumerateArray().Select(error => error.GetString()))
                    : [problem.GetProperty("title").GetString()];
                return $"{spec.Kind} was refused ({(int)response.StatusCode}): {string.Join(" ", errors)}";
            }
        }

        return null;
    }

    private async Task SwitchOnAsync(IEnumerable<FaultKind> kinds)
    {
        var refused = await TrySwitchOnAsync(kinds);
        if (refused is not null)
        {
            await fixture.SwitchFaultsOffAsync();
            throw new InvalidOperationException(refused);
        }
    }

    /// <summary>The faults that hold a request waiting, a few requests at a time; the rest one at a time, so the Api's own time is the fault's, not contention.</summary>
    private static int ConcurrencyOf(DiagnosisScenario scenario) =>
        scenario.Faults.Any(kind => kind is FaultKind.SlowProvider or FaultKind.RowLock or FaultKind.DatabaseDown) ? 2 : 1;

    private string PathOf(DiagnosedFlow flow) => flow switch
    {
        DiagnosedFlow.Listing or DiagnosedFlow.LargeTenantListing => "/api/orders",
        DiagnosedFlow.ListingWithItems => "/api/orders/with-items",
        DiagnosedFlow.OrderRead => $"/api/orders/{orderId}",
        _ => throw new ArgumentOutOfRangeException(nameof(flow), flow, "Not an Api read."),
    };

    private string TenantOf(DiagnosedFlow flow) =>
        flow == DiagnosedFlow.LargeTenantListing
            ? largeTenant ?? throw new InvalidOperationException("The driver was initialised without the large tenant.")
            : listTenant;

    /// <summary>The flow's own root span is there: Web's for its page (and the Api's under it), the Api's for the rest.</summary>
    private static bool IsWhole(DiagnosedFlow flow, IReadOnlyList<TraceSpan> spans) => flow == DiagnosedFlow.WebOrdersPage
        ? spans.Any(span => span.Service == FaultCatalogue.Services.Web && span.Kind == TraceSpanKind.Server) && spans.Any(IsApiRequest)
        : spans.Any(IsApiRequest);

    private static bool IsApiRequest(TraceSpan span) =>
        span.Service == Api && span.Kind == TraceSpanKind.Server && span["url.path"]?.StartsWith("/api/orders", StringComparison.Ordinal) == true;

    private static string? Attribute(string element, string name) =>
        Regex.Match(element, $"{Regex.Escape(name)}=\"([^\"]*)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("<[^>]*\\bdata-cause-kind=\"[^\"]*\"[^>]*>")]
    private static partial Regex ElementWithCause();

    public async ValueTask DisposeAsync()
    {
        api.Dispose();
        web.Dispose();
        await fixture.SwitchFaultsOffAsync();
    }
}
