using System.Text.Json.Serialization;

namespace OrdersTracing.ServiceDefaults.Faults;

/// <summary>
/// One fault as settings: where it strikes, how hard and how often. The same record comes from a test, a dashboard
/// command (the catalogue's default) or a script, and <see cref="Validate"/> says plainly what is wrong with it.
/// </summary>
/// <param name="Kind">
/// The mechanism, by its catalogue name whatever enum naming the service's JSON uses elsewhere (the Api's is snake_case).
/// </param>
/// <param name="Service">The service that injects it (<c>api</c>, <c>web</c>, <c>payments</c>); each kind has one.</param>
/// <param name="Target">
/// Narrows it down: a route (<c>POST /api/orders</c>, <c>/orders</c>) for <see cref="FaultKind.CpuBound"/> and
/// <see cref="FaultKind.SlowWebStep"/>, a table for <see cref="FaultKind.SlowQuery"/> and
/// <see cref="FaultKind.DeepException"/>; <see langword="null"/> for everywhere it applies.
/// </param>
/// <param name="Amount">How much, in the kind's unit (<see cref="FaultCatalogue"/>): milliseconds, or connections.</param>
/// <param name="Probability">Share of the requests it strikes, above 0 and up to 1.</param>
/// <param name="Attempts">
/// For the provider's faults: only the first this many attempts of each payment (idempotency key) are hit, so that
/// retries recover; 0 for every attempt.
/// </param>
public sealed record FaultSpec(
    [property: JsonConverter(typeof(JsonStringEnumConverter<FaultKind>))] FaultKind Kind,
    string Service,
    string? Target = null,
    double Amount = 0,
    double Probability = 1,
    int Attempts = 0)
{
    public const int MaxAttempts = 100;

    /// <summary>The amount as a duration, for the kinds measured in milliseconds.</summary>
    [JsonIgnore]
    public TimeSpan Duration => TimeSpan.FromMilliseconds(Amount);

    /// <summary>What is wrong with these settings, by field, in the words of the catalogue; empty when nothing is.</summary>
    public IReadOnlyDictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(Kind))
        {
            errors[nameof(Kind)] = [$"'{Kind}' is not a fault kind; the kinds are {string.Join(", ", Enum.GetNames<FaultKind>())}."];
            return errors;
        }

        var entry = FaultCatalogue.Of(Kind);
        if (!entry.IsSwitchable)
        {
            errors[nameof(Kind)] = [$"{Kind} is not switched on: {entry.Mechanism}"];
            return errors;
        }

        if (!string.Equals(Service, entry.Service, StringComparison.Ordinal))
        {
            errors[nameof(Service)] = [$"{Kind} is injected by '{entry.Service}', not '{Service}'."];
        }

        if (entry.Unit == FaultUnit.None && Amount != 0)
        {
            errors[nameof(Amount)] = [$"{Kind} takes no amount; leave it 0."];
        }
        else if (entry.Unit != FaultUnit.None && !(Amount >= entry.MinAmount && Amount <= entry.MaxAmount))
        {
            errors[nameof(Amount)] = [$"{Kind} takes {entry.MinAmount} to {entry.MaxAmount} {entry.UnitName}; got {Amount}."];
        }

        if (!(Probability is > 0 and <= 1))
        {
            errors[nameof(Probability)] = [$"A probability is above 0 and up to 1 (the share of requests hit); got {Probability}."];
        }

        if (Attempts != 0 && !entry.CountsAttempts)
        {
            errors[nameof(Attempts)] = [$"{Kind} does not count attempts; leave it 0."];
        }
        else if (Attempts is < 0 or > MaxAttempts)
        {
            errors[nameof(Attempts)] = [$"Attempts runs from 0 (every attempt) to {MaxAttempts}; got {Attempts}."];
        }

        if (Target is not null && entry.TargetKind == FaultTargetKind.None)
        {
            errors[nameof(Target)] = [$"{Kind} takes no target; leave it out."];
        }
        else if (Target is not null && entry.TargetKind == FaultTargetKind.Route && !FaultRoute.TryParse(Target, out _))
        {
            errors[nameof(Target)] = [$"A route is a path starting with '/', optionally after a method: 'POST /api/orders'; got '{Target}'."];
        }
        else if (Target is not null && entry.TargetKind == FaultTargetKind.Table && !IsIdentifier(Target))
        {
            errors[nameof(Target)] = [$"A table is a lowercase name such as 'orders'; got '{Target}'."];
        }

        return errors;
    }

    private static bool IsIdentifier(string value) =>
        value.Length is > 0 and <= 63 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
