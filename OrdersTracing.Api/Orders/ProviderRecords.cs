namespace OrdersTracing.Api.Orders;

/// <summary>A charge or a refund as the payment provider lists it.</summary>
public sealed record ProviderRecord(string Id, long Amount, string Status);

/// <summary>The charges or refunds the provider lists for a payment, or why it could not be asked.</summary>
public sealed record ProviderRecords(IReadOnlyList<ProviderRecord> Records, string? Error)
{
    public static ProviderRecords Found(IReadOnlyList<ProviderRecord> records) => new(records, null);

    public static ProviderRecords Failed(string error) => new([], error);
}
