namespace OrdersTracing.Tests.EndToEnd;

/// <summary>Fresh tenant and user ids, so tests sharing one application never see each other's orders.</summary>
public static class TestIds
{
    public static string Tenant() => $"t-{Guid.NewGuid():N}"[..20];

    public static string User() => $"u-{Guid.NewGuid():N}"[..20];

    public static string NewTraceId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public static string NewSpanId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()[..8]);
}
