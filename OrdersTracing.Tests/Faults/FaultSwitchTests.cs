using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Tests.Faults;

public sealed class FaultSwitchTests
{
    private static readonly FaultSupport Api = new("api", new HashSet<FaultKind> { FaultKind.SlowQuery, FaultKind.RowLock, FaultKind.MissingIndex });

    [Fact]
    public async Task Two_faults_are_in_force_at_once_and_each_is_switched_off_alone()
    {
        var faults = new FaultSwitch();
        var control = new FaultControl(faults, Api, [], NullLogger<FaultControl>.Instance);

        await control.SwitchOnAsync(new FaultSpec(FaultKind.SlowQuery, "api", Amount: 100), CancellationToken.None);
        await control.SwitchOnAsync(new FaultSpec(FaultKind.RowLock, "api", Amount: 200), CancellationToken.None);
        var both = faults.Active.Select(spec => spec.Kind).ToList();
        await control.SwitchOffAsync(FaultKind.SlowQuery, CancellationToken.None);

        Assert.Equal([FaultKind.SlowQuery, FaultKind.RowLock], both);
        Assert.False(faults.IsOn(FaultKind.SlowQuery));
        Assert.True(faults.Strikes(FaultKind.RowLock, out var lockSpec));
        Assert.Equal(200, lockSpec.Amount);
    }

    [Fact]
    public void A_fault_counting_attempts_strikes_only_the_first_ones()
    {
        var faults = new FaultSwitch();
        faults.Set(new FaultSpec(FaultKind.ProviderErrors, "payments", Attempts: 2));

        var struck = Enumerable.Range(1, 4).Select(attempt => faults.Strikes(FaultKind.ProviderErrors, out _, attempt)).ToList();

        Assert.Equal([true, true, false, false], struck);
    }

    [Fact]
    public void A_fault_strikes_about_its_share_of_requests()
    {
        var faults = new FaultSwitch();
        faults.Set(new FaultSpec(FaultKind.ProviderErrors, "payments", Probability: 0.25));

        var struck = Enumerable.Range(0, 4000).Count(request => faults.Strikes(FaultKind.ProviderErrors, out _));

        Assert.InRange(struck, 800, 1200);
    }

    [Fact]
    public void A_kind_the_service_does_not_inject_is_refused_with_the_kinds_it_does()
    {
        var control = new FaultControl(new FaultSwitch(), Api, [], NullLogger<FaultControl>.Instance);

        var errors = control.Check(new FaultSpec(FaultKind.NPlusOne, "api"));

        Assert.Equal(["'api' does not inject NPlusOne; it injects SlowQuery, MissingIndex, RowLock."], errors[nameof(FaultSpec.Kind)]);
    }

    [Fact]
    public async Task A_stateful_fault_makes_its_change_before_it_is_in_force_and_undoes_it_when_off()
    {
        var faults = new FaultSwitch();
        var index = new RecordingMechanism(faults);
        var control = new FaultControl(faults, Api, [index], NullLogger<FaultControl>.Instance);

        await control.SwitchOnAsync(new FaultSpec(FaultKind.MissingIndex, "api"), CancellationToken.None);
        await control.SwitchOffAsync(FaultKind.MissingIndex, CancellationToken.None);

        Assert.Equal(["on (in force: False)", "off (in force: False)"], index.Calls);
    }

    [Theory]
    [InlineData("POST /api/orders", "POST", "/api/orders", true)]
    [InlineData("POST /api/orders", "GET", "/api/orders", false)]
    [InlineData("/api/orders", "GET", "/api/orders/with-items", true)]
    [InlineData("/api/orders", "GET", "/api/ordersx", false)]
    [InlineData("/", "GET", "/anything", true)]
    public void A_route_target_matches_its_method_and_path_prefix(string target, string method, string path, bool matches)
    {
        var request = new DefaultHttpContext().Request;
        request.Method = method;
        request.Path = path;

        Assert.True(FaultRoute.TryParse(target, out var route));
        Assert.Equal(matches, route.Matches(request));
    }

    private sealed class RecordingMechanism(FaultSwitch faults) : IFaultMechanism
    {
        public List<string> Calls { get; } = [];

        public FaultKind Kind => FaultKind.MissingIndex;

        public Task SwitchOnAsync(FaultSpec spec, CancellationToken cancellationToken)
        {
            Calls.Add($"on (in force: {faults.IsOn(Kind)})");
            return Task.CompletedTask;
        }

        public Task SwitchOffAsync(CancellationToken cancellationToken)
        {
            Calls.Add($"off (in force: {faults.IsOn(Kind)})");
            return Task.CompletedTask;
        }
    }
}
