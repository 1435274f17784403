namespace OrdersTracing.Api.Hosting;

/// <summary>
/// How much a request may carry. The largest valid order (50 items) is a few kilobytes and the Api is only called by Web
/// and the payment provider, so a body of megabytes is an attack or a bug: it gets a 413 before it is buffered.
/// </summary>
public static class RequestLimits
{
    public const long MaxBodyBytes = 64 * 1024;

    // Kestrel's defaults, stated: a caller's trace context and identity headers fit many times over. Past them Kestrel
    // answers 431 (or 400 for too many headers) itself, before the application runs, with an empty body.
    public const int MaxHeadersTotalBytes = 32 * 1024;
    public const int MaxHeaderCount = 100;

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxHeadersTotalBytes;
            kestrel.Limits.MaxRequestHeaderCount = MaxHeaderCount;
        });

        return builder;
    }
}
