using OrdersTracing.ServiceDefaults.Faults;

namespace OrdersTracing.Tests.Faults;

public sealed class FaultSpecValidationTests
{
    public static TheoryData<FaultKind> SwitchableKinds() => [.. FaultCatalogue.Entries.Where(entry => entry.IsSwitchable).Select(entry => entry.Kind)];

    [Theory]
    [MemberData(nameof(SwitchableKinds))]
    public void The_catalogue_default_of_every_switchable_kind_is_valid(FaultKind kind)
    {
        var errors = FaultCatalogue.Of(kind).Default.Validate();

        Assert.Empty(errors);
    }

    [Fact]
    public void Every_kind_has_one_catalogue_entry()
    {
        var kinds = FaultCatalogue.Entries.Select(entry => entry.Kind).ToList();

        Assert.Equal(Enum.GetValues<FaultKind>().Order(), kinds.Order());
    }

    [Fact]
    public void A_fault_for_the_wrong_service_names_the_service_that_injects_it()
    {
        var errors = new FaultSpec(FaultKind.SlowQuery, "web", Amount: 500).Validate();

        Assert.Equal(["SlowQuery is injected by 'api', not 'web'."], errors[nameof(FaultSpec.Service)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(60_001)]
    [InlineData(double.NaN)]
    public void A_delay_outside_its_range_is_refused_with_the_range_and_unit(double amount)
    {
        var errors = new FaultSpec(FaultKind.SlowProvider, "payments", Amount: amount).Validate();

        Assert.Contains("1 to 60000 milliseconds", Assert.Single(errors[nameof(FaultSpec.Amount)]));
    }

    [Fact]
    public void A_kind_without_an_amount_refuses_one()
    {
        var errors = new FaultSpec(FaultKind.NPlusOne, "api", Amount: 3).Validate();

        Assert.Equal(["NPlusOne takes no amount; leave it 0."], errors[nameof(FaultSpec.Amount)]);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1.5)]
    [InlineData(-0.1)]
    public void A_probability_outside_zero_to_one_is_refused(double probability)
    {
        var errors = new FaultSpec(FaultKind.ProviderErrors, "payments", Probability: probability).Validate();

        Assert.StartsWith("A probability is above 0 and up to 1", Assert.Single(errors[nameof(FaultSpec.Probability)]));
    }

    [Fact]
    public void Attempts_are_only_for_the_kinds_that_count_them()
    {
        var counted = new FaultSpec(FaultKind.ProviderErrors, "payments", Attempts: 2).Validate();
        var uncounted = new FaultSpec(FaultKind.RowLock, "api", Amount: 100, Attempts: 2).Validate();
        var tooMany = new FaultSpec(FaultKind.ProviderErrors, "payments", Attempts: 101).Validate();

        Assert.Empty(counted);
        Assert.Equal(["RowLock does not count attempts; leave it 0."], uncounted[nameof(FaultSpec.Attempts)]);
        Assert.Contains("0 (every attempt) to 100", Assert.Single(tooMany[nameof(FaultSpec.Attempts)]));
    }

    [Theory]
    [InlineData(FaultKind.CpuBound, "api/orders", "A route is a path starting with '/'")]
    [InlineData(FaultKind.CpuBound, "POST GET /api", "A route is a path starting with '/'")]
    [InlineData(FaultKind.SlowQuery, "orders; DROP TABLE orders", "A table is a lowercase name")]
    [InlineData(FaultKind.RowLock, "orders", "RowLock takes no target")]
    public void A_target_that_does_not_fit_its_kind_is_refused(FaultKind kind, string target, string message)
    {
        var entry = FaultCatalogue.Of(kind);

        var errors = (entry.Default with { Target = target }).Validate();

        Assert.StartsWith(message, Assert.Single(errors[nameof(FaultSpec.Target)]));
    }

    [Theory]
    [InlineData(FaultKind.ColdStart, "restart the service")]
    public void A_kind_that_is_not_switched_says_why(FaultKind kind, string reason)
    {
        var errors = FaultCatalogue.Of(kind).Default.Validate();

        Assert.Contains(reason, Assert.Single(errors[nameof(FaultSpec.Kind)]));
    }

    [Fact]
    public void A_fault_reads_back_as_written_with_its_kind_by_name()
    {
        var spec = new FaultSpec(FaultKind.NPlusOne, "api");

        var json = System.Text.Json.JsonSerializer.Serialize<IReadOnlyCollection<FaultSpec>>([spec], System.Text.Json.JsonSerializerOptions.Web);

        Assert.Contains("\"kind\":\"NPlusOne\"", json, StringComparison.Ordinal);
        Assert.Equal([spec], System.Text.Json.JsonSerializer.Deserialize<List<FaultSpec>>(json, System.Text.Json.JsonSerializerOptions.Web));
    }

    [Fact]
    public void An_unknown_kind_lists_the_kinds()
    {
        var errors = new FaultSpec((FaultKind)99, "api").Validate();

        Assert.Contains("SlowProvider, ProviderErrors", Assert.Single(errors[nameof(FaultSpec.Kind)]));
    }
}
