using System.ComponentModel.DataAnnotations;

namespace OrdersTracing.Api.Payments.Outbox;

/// <summary>How the background worker drains the payment outbox (section <c>PaymentOutbox</c>).</summary>
public sealed class PaymentOutboxOptions
{
    public const string SectionName = "PaymentOutbox";

    /// <summary>How long the worker waits when the outbox is empty: the longest a new payment waits to start.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "PaymentOutbox:PollInterval must be between 10 ms and 1 minute.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the worker waits after the database or the provider failed a whole round.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "PaymentOutbox:RetryDelay must be between 100 ms and 10 minutes.")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(1, 100, ErrorMessage = "PaymentOutbox:BatchSize must be between 1 and 100.")]
    public int BatchSize { get; set; } = 10;

    /// <summary>Attempts while the provider is unavailable before the order is marked payment_failed.</summary>
    [Range(1, 100, ErrorMessage = "PaymentOutbox:MaxAttempts must be between 1 and 100.")]
    public int MaxAttempts { get; set; } = 5;
}
