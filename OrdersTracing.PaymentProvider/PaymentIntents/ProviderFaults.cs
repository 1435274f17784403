using System.Text.Json.Serialization;

namespace OrdersTracing.PaymentProvider.PaymentIntents;

/// <summary>
/// How the stand-in misbehaves right now. Starts from <see cref="PaymentStandInOptions"/> and can be changed while it
/// runs (<c>PUT /test/faults</c>, Development only), so one running application can show a healthy, a failing and a
/// slow provider in turn.
/// </summary>
/// <param name="FailureRate">Share of requests (0 to 1) answered with a 500 <c>api_error</c>, before anything is charged.</param>
/// <param name="FailFirstAttempts">The first this many requests of each idempotency key fail with a 500: a provider that recovers under retries.</param>
/// <param name="SlowFirstAttempts">
/// The first this many requests of each idempotency key charge, then answer only after <paramref name="SlowAnswer"/>: the
/// caller times out not knowing that it was charged, the case idempotency keys exist for.
/// </param>
public sealed record ProviderFaults(double FailureRate = 0, int FailFirstAttempts = 0, int SlowFirstAttempts = 0, TimeSpan SlowAnswer = default)
{
    [JsonIgnore]
    public bool IsValid =>
        FailureRate is >= 0 and <= 1
        && FailFirstAttempts is >= 0 and <= 100
        && SlowFirstAttempts is >= 0 and <= 100
        && SlowAnswer >= TimeSpan.Zero && SlowAnswer <= TimeSpan.FromMinutes(1);
}

/// <summary>The faults in force; swapped whole, read without locks.</summary>
public sealed class ProviderFaultSwitch(ProviderFaults initial)
{
    private ProviderFaults current = initial;

    public ProviderFaults Current => Volatile.Read(ref current);

    public void Set(ProviderFaults faults) => Volatile.Write(ref current, faults);
}
