namespace OrdersTracing.ServiceDefaults.Telemetry.TrustBoundary;

/// <summary>A request feature: the request carried a page context cookie, which is good for one request and is deleted.</summary>
internal sealed class SpentPageContext;
