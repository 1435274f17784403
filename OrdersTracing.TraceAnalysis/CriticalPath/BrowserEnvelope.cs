namespace OrdersTracing.TraceAnalysis;

/// <summary>
/// The browser's own spans in a trace that starts in a page: its document load and the person's submit (the web SDK's
/// document-load and user-interaction instrumentations). They envelope the server requests they cause and measure the
/// page and the person (rendering, reading, typing) rather than work a service could do faster, so the critical path is
/// that of the server request under them, and they are never its culprit.
/// </summary>
public static class BrowserEnvelope
{
    public const string DocumentLoadScope = "@opentelemetry/instrumentation-document-load";
    public const string UserInteractionScope = "@opentelemetry/instrumentation-user-interaction";

    public static bool Holds(TraceSpan span) => span.Scope is DocumentLoadScope or UserInteractionScope;
}
