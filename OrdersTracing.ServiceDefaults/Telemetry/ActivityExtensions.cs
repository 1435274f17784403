using System.Diagnostics;

namespace OrdersTracing.ServiceDefaults.Telemetry;

/// <summary>Span helpers for every service, so that a failure, for one, looks the same in every trace.</summary>
public static class ActivityExtensions
{
    /// <summary>
    /// Marks the span failed the one way every backend understands: status Error with a short description,
    /// plus an <c>exception</c> event carrying type, message and stack trace.
    /// </summary>
    public static void RecordError(this Activity? activity, Exception exception, string? description = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description ?? exception.Message);
        activity.AddException(exception);
    }

    /// <summary>
    /// The span's ancestor with no parent in this process (none at all, or a remote one): the span a request or a
    /// worker's iteration started with, which ends after all the others.
    /// </summary>
    internal static Activity LocalRoot(this Activity activity)
    {
        while (activity.Parent is { } parent)
        {
            activity = parent;
        }

        return activity;
    }
}
